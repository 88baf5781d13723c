import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/client.ts';
import type { AdminSocket } from '../socket.ts';
import { conversation, message } from '../test-fixtures.ts';
import { Inbox } from './inbox.ts';

/** A socket stand-in: handlers registered with on(), fired by emit(). */
function fakeSocket() {
  const handlers = new Map<string, ((p: unknown) => void)[]>();
  const ioHandlers = new Map<string, (() => void)[]>();
  const socket = {
    on: (ev: string, h: (p: unknown) => void) => handlers.set(ev, [...(handlers.get(ev) ?? []), h]),
    off: () => {},
    io: { on: (ev: string, h: () => void) => ioHandlers.set(ev, [...(ioHandlers.get(ev) ?? []), h]), off: () => {} },
  };
  return {
    socket: socket as unknown as AdminSocket,
    fire: (ev: string, p: unknown) => handlers.get(ev)?.forEach((h) => h(p)),
    fireIo: (ev: string) => ioHandlers.get(ev)?.forEach((h) => h()),
  };
}

function fakeApi(over: Partial<Record<keyof Api, unknown>> = {}) {
  return {
    conversations: vi.fn(async () => ({ data: [conversation({ id: 'a', last_message_at: '2026-11-27T10:00:00Z' })], next_cursor: null })),
    conversation: vi.fn(async (id: string) => ({ conversation: conversation({ id, unread: 2 }) })),
    messages: vi.fn(async () => ({ data: [message({ id: 'm1', conversation_id: 'a' })], next_cursor: null })),
    markRead: vi.fn(async (id: string) => ({ conversation: conversation({ id, unread: 0 }) })),
    ...over,
  } as unknown as Api & { conversations: ReturnType<typeof vi.fn>; markRead: ReturnType<typeof vi.fn> };
}

const me = { id: 'me', email: 'me@x', name: 'Me', role: 'agent' as const };

describe('the inbox store', () => {
  it('merges live messages: the list reorders, the open thread grows, and what the agent sees is marked read', async () => {
    const api = fakeApi();
    const { socket, fire } = fakeSocket();
    const inbox = new Inbox(api, me, socket, () => true);
    await inbox.load();
    await inbox.open('a');
    expect(inbox.thread.get().messages.map((m) => m.id)).toEqual(['m1']);
    expect(api.markRead).toHaveBeenCalledWith('a');

    fire('message:new', {
      message: message({ id: 'x1', conversation_id: 'b' }),
      conversation: conversation({ id: 'b', unread: 1, last_message_at: '2026-11-27T11:00:00Z' }),
    });
    expect(inbox.list.get().conversations.map((c) => [c.id, c.unread])).toEqual([
      ['b', 1],
      ['a', 0],
    ]);

    api.markRead.mockClear();
    fire('message:new', {
      message: message({ id: 'm2', conversation_id: 'a', created_at: '2026-11-27T12:00:00Z' }),
      conversation: conversation({ id: 'a', unread: 1, last_message_at: '2026-11-27T12:00:00Z' }),
    });
    expect(inbox.thread.get().messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(inbox.list.get().conversations[0]).toMatchObject({ id: 'a', unread: 0 });
    expect(api.markRead).toHaveBeenCalledWith('a');

    fire('message:status', { id: 'm2', status: 'failed', error: { code: '131047', title: 't', detail: null } });
    expect(inbox.thread.get().messages[1]!.status).toBe('failed');
  });

  it('a status that overtakes its message is applied when the message arrives', async () => {
    const api = fakeApi();
    const { socket, fire } = fakeSocket();
    const inbox = new Inbox(api, me, socket, () => true);
    await inbox.open('a');
    fire('message:status', { id: 'late', status: 'failed', error: { code: '131047', title: 't', detail: null } });
    inbox.addOwnMessage(message({ id: 'late', conversation_id: 'a', direction: 'outbound', status: 'queued', created_at: '2026-11-27T12:00:00Z' }));
    expect(inbox.thread.get().messages.find((m) => m.id === 'late')).toMatchObject({ status: 'failed', error: { code: '131047' } });
  });

  it('reloads after a reconnect, since events sent meanwhile are lost', async () => {
    const api = fakeApi();
    const { socket, fireIo } = fakeSocket();
    const inbox = new Inbox(api, me, socket, () => true);
    await inbox.load();
    expect(api.conversations).toHaveBeenCalledTimes(1);
    fireIo('reconnect');
    await vi.waitFor(() => expect(api.conversations).toHaveBeenCalledTimes(2));
  });

  it('a slow answer for old filters never overwrites the newer one', async () => {
    let release: (v: unknown) => void = () => {};
    const api = fakeApi({
      conversations: vi
        .fn()
        .mockImplementationOnce(() => new Promise((r) => (release = r)))
        .mockImplementationOnce(async () => ({ data: [conversation({ id: 'new' })], next_cursor: null })),
    });
    const inbox = new Inbox(api, me, null, () => true);
    const first = inbox.load();
    await inbox.setFilters({ channel: 'web' });
    release({ data: [conversation({ id: 'old' })], next_cursor: null });
    await first;
    expect(inbox.list.get().conversations.map((c) => c.id)).toEqual(['new']);
  });
});
