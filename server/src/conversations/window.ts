/**
 * The 24-hour customer service window: a WhatsApp customer who wrote in the last 24 hours may get
 * free-form messages; otherwise only an approved template (the rule itself is shared/window.ts).
 */
import { windowState } from '@connectdesk/shared';
import { ms } from '../db/json.ts';
import type { ConversationRow } from '../db/repos/conversations-repo.ts';
import { AppError } from '../errors.ts';

const WINDOW_CLOSED =
  'the customer last wrote more than 24 hours ago (or never), so WhatsApp only allows an approved template now; send a template such as connectdesk_reopen';

/** Is the customer's window open (null: never wrote, so closed)? */
export function windowOpen(conversation: Pick<ConversationRow, 'last_customer_message_at'> | null, now?: Date): boolean {
  return windowState(ms(conversation?.last_customer_message_at ?? null), now).open;
}

/** `window_closed`, saying what was refused (`Free-form reply refused`). */
export function windowClosed(refused: string): AppError {
  return new AppError('window_closed', `${refused}: ${WINDOW_CLOSED}.`);
}
