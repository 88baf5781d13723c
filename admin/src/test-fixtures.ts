/** Builders for unit tests: contract-shaped conversations and messages with sensible defaults. */
import type { ConversationJson, MessageJson } from './api/types.ts';

export function conversation(patch: Partial<ConversationJson> = {}): ConversationJson {
  return {
    id: 'c1',
    channel: 'web',
    status: 'open',
    contact: { id: 'k1', name: 'Ana', wa_id: null, email: null, phone: null },
    window: { open: true, closes_at: null },
    last_message_at: '2026-11-27T10:00:00.000Z',
    last_message_preview: 'hi',
    unread: 0,
    assignee_id: null,
    whatsapp_consent: false,
    created_at: '2026-11-27T09:00:00.000Z',
    ...patch,
  };
}

export function message(patch: Partial<MessageJson> = {}): MessageJson {
  return {
    id: 'm1',
    conversation_id: 'c1',
    direction: 'inbound',
    sender: 'customer',
    type: 'text',
    text: 'hello',
    content: null,
    wamid: null,
    status: 'received',
    error: null,
    context: null,
    reactions: [],
    media: null,
    template: null,
    is_note: false,
    client_id: null,
    author_name: null,
    created_at: '2026-11-27T10:00:00.000Z',
    edited_at: null,
    deleted: false,
    ...patch,
  };
}
