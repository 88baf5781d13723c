/**
 * An agent's quick replies (reply buttons or a list) as a WhatsApp message: the row stored in the
 * conversation (`content.interactive` is Meta's object, `body` its text) and the Cloud API payload
 * the outbox sends. Free-form, so only inside the 24-hour window.
 */
import type { InteractiveSend } from '@connectdesk/shared';
import { interactiveObject } from '@connectdesk/shared/quick-replies';
import type { SendMessage } from '@connectdesk/shared';
import type { NewMessage } from '../db/repos/messages-repo.ts';

export function interactiveSend(to: string, send: InteractiveSend): { message: Pick<NewMessage, 'type' | 'body' | 'content'>; payload: SendMessage } {
  const interactive = interactiveObject(send);
  return {
    message: { type: 'interactive', body: send.body.trim(), content: { interactive } },
    payload: { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'interactive', interactive: interactive as SendMessage['interactive'] },
  };
}
