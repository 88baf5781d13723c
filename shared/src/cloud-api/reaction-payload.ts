/** Meta's reaction message: an emoji on the message with this wamid; `emoji: ""` takes the reaction back. */
import type { SendMessage } from './send.ts';

export function reactionPayload(to: string, wamid: string, emoji: string): SendMessage {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'reaction', reaction: { message_id: wamid, emoji } };
}
