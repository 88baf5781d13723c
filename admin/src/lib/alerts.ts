/**
 * Which live messages deserve a desktop notification and a sound: a customer's or visitor's new
 * message in an open conversation that is this agent's or nobody's. Not notes, not our own side,
 * not system lines, not conversations assigned to someone else.
 */
import type { ConversationJson, MessageJson } from '../api/types.ts';
import { contactName } from './format.ts';

export interface Alert {
  conversationId: string;
  title: string;
  body: string;
}

/** A conversation whose first message arrived within this long of its creation is "new". */
const NEW_CONVERSATION_MS = 10_000;

export function alertFor(message: MessageJson, conversation: ConversationJson, meId: string): Alert | null {
  if (message.direction !== 'inbound' || message.is_note || message.sender === 'system') return null;
  if (conversation.status !== 'open') return null;
  if (conversation.assignee_id !== null && conversation.assignee_id !== meId) return null;
  const name = contactName(conversation.contact);
  const fresh = Date.parse(message.created_at) - Date.parse(conversation.created_at) < NEW_CONVERSATION_MS;
  const where = conversation.channel === 'whatsapp' ? 'WhatsApp' : 'Website';
  return {
    conversationId: conversation.id,
    title: fresh ? `New conversation: ${name}` : `${name} (${where})`,
    body: (message.text || 'New message').slice(0, 160),
  };
}
