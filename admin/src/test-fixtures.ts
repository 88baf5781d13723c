/** Builders for unit tests: contract-shaped conversations and messages with sensible defaults. */
import { messageJson } from '@connectdesk/shared/fixtures';
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
  return messageJson({ sender: 'customer', text: 'hello', ...patch });
}
