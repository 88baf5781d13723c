import { describe, expect, it } from 'vitest';
import type { MessageJson } from '@connectdesk/shared';
import { messageJson } from '@connectdesk/shared/fixtures';
import { applyStatus, fromServer, mergeHistory, unreadCount, upsert, type ChatItem } from './chat-items.ts';

let n = 0;
function msg(p: Partial<MessageJson>): MessageJson {
  n += 1;
  return messageJson({ id: `m${n}`, text: 'hi', created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), ...p });
}
const pending = (clientId: string, text: string): ChatItem => ({
  key: clientId,
  id: null,
  clientId,
  mine: true,
  text,
  at: '2026-01-01T00:00:00.000Z',
  state: 'sending',
  author: null,
  media: null,
});

describe('chat items', () => {
  it('replaces a pending message with its acknowledged copy, keeping the render key', () => {
    let items = [pending('c-1', 'hello')];
    items = upsert(items, fromServer(msg({ client_id: 'c-1', text: 'hello' })));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ key: 'c-1', state: 'sent', text: 'hello' });
    expect(items[0]!.id).toMatch(/^m/);
  });

  it('keeps stored messages in time order and unsent ones last', () => {
    const agent = fromServer(msg({ direction: 'outbound', sender: 'agent', text: 'reply', author_name: 'Ana' }));
    const earlier = fromServer(msg({ text: 'first', created_at: '2025-12-31T23:59:00.000Z', client_id: 'c-0' }));
    const items = upsert(upsert([pending('c-9', 'queued')], agent), earlier);
    expect(items.map((i) => i.text)).toEqual(['first', 'reply', 'queued']);
    expect(items[1]).toMatchObject({ mine: false, author: 'Ana', state: null });
  });

  it('moves delivery states forward only', () => {
    const m = msg({ client_id: 'c-2' });
    let items = upsert([], fromServer(m));
    items = applyStatus(items, m.id, 'read');
    expect(items[0]!.state).toBe('read');
    items = applyStatus(items, m.id, 'delivered');
    expect(items[0]!.state).toBe('read');
    items = upsert(items, fromServer(m)); // a late copy with the older status
    expect(items[0]!.state).toBe('read');
  });

  it('merges history without losing unsent messages or duplicating sent ones', () => {
    const sent = msg({ client_id: 'c-3', text: 'sent before reload' });
    const items = mergeHistory([pending('c-3', 'sent before reload'), pending('c-4', 'still queued')], [sent, msg({ is_note: true, direction: 'outbound' })]);
    expect(items.map((i) => [i.text, i.state])).toEqual([
      ['sent before reload', 'sent'],
      ['still queued', 'sending'],
    ]);
  });

  it('shows a media message with its caption, not its summary text', () => {
    const media = { id: 'md', mime: 'application/pdf', size: 10, filename: 'plan.pdf', url: '/x', ready: true };
    const withCaption = fromServer(
      msg({ type: 'document', text: '📎 plan.pdf — the plan', media, content: { document: { caption: 'the plan', filename: 'plan.pdf' } } }),
    );
    expect(withCaption).toMatchObject({ text: 'the plan', media: { filename: 'plan.pdf', mime: 'application/pdf' } });
    expect(fromServer(msg({ type: 'document', text: '📎 plan.pdf', media, content: { document: { caption: null } } })).text).toBe('');
  });

  it('counts replies newer than what the visitor has seen', () => {
    const a = fromServer(msg({ direction: 'outbound', sender: 'agent' }));
    const b = fromServer(msg({ direction: 'outbound', sender: 'agent' }));
    const mine = fromServer(msg({}));
    const items = [a, b, mine];
    expect(unreadCount(items, null)).toBe(2);
    expect(unreadCount(items, a.at)).toBe(1);
    expect(unreadCount(items, b.at)).toBe(0);
  });
});
