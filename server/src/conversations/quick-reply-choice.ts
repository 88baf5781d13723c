/**
 * A web visitor's tap on a quick reply (`message:send` with `choice`): the message it answers must
 * be an agent's buttons or list in this visitor's own web conversation, and the id one of the
 * options it offers. The answer is stored like WhatsApp's — type `interactive`, the option's title
 * as its text, Meta's `button_reply` / `list_reply` in `content`, and the offering message as its
 * context — so both channels read back the same `interactive_reply`.
 */
import type { QuickReplyChoice } from '@connectdesk/shared';
import { offeredOption, quickReplyOffer } from '@connectdesk/shared/quick-replies';
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import { fromJson } from '../db/json.ts';
import { AppError } from '../errors.ts';

export interface ChosenReply {
  /** The option's title: the stored message's text. */
  text: string;
  content: { interactive: Record<string, unknown> };
  /** The agent message that offered it. */
  answers: MessageRow;
}

export async function resolveChoice(
  repos: { messages: MessagesRepo; conversations: ConversationsRepo },
  contact: ContactRow | null,
  choice: QuickReplyChoice,
): Promise<ChosenReply> {
  const offering = await repos.messages.byId(choice.message_id);
  const conversation = offering ? await repos.conversations.byId(offering.conversation_id) : null;
  const offer =
    offering && offering.direction === 'outbound' && !offering.is_note && offering.type === 'interactive'
      ? quickReplyOffer(fromJson(offering.content, null))
      : null;
  if (!offering || !contact || conversation?.contact_id !== contact.id || conversation.channel !== 'web' || !offer) {
    throw new AppError('validation_failed', 'choice.message_id must be a message with quick replies in your conversation');
  }
  const option = offeredOption(offer, choice.id);
  if (!option) throw new AppError('validation_failed', `choice.id "${choice.id}" is not one of the options that message offers`);
  const kind = offer.kind === 'buttons' ? 'button_reply' : 'list_reply';
  return {
    text: option.title,
    content: {
      interactive: { type: kind, [kind]: { id: option.id, title: option.title, ...(option.description ? { description: option.description } : {}) } },
    },
    answers: offering,
  };
}
