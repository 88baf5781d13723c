/**
 * Contract-shaped JSON for unit tests of the widget and the admin app: every field the public
 * contract names, with plain defaults, so a test spells out only what it is about.
 */
import type { MessageJson } from './api.ts';

export function messageJson(patch: Partial<MessageJson> = {}): MessageJson {
  return {
    id: 'm1',
    conversation_id: 'c1',
    direction: 'inbound',
    sender: 'visitor',
    type: 'text',
    text: '',
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
    sent_at: null,
    edited_at: null,
    deleted: false,
    ...patch,
  };
}
