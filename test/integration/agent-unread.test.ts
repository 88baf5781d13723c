/**
 * Unread counts the server computes per agent: open conversations with unread messages that are
 * assigned to that agent or to nobody, pushed live over the admin socket (`unread`) and readable
 * over HTTP — the same whatever the agent's list shows. Web and WhatsApp messages both count;
 * another agent's conversations, read ones and resolved ones do not.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, phoneSend } from '../support/whatsapp.ts';

interface Counts {
  conversations: number;
  messages: number;
  mine: number;
  unassigned: number;
}

/** An admin socket that records every `unread` from the first one (sent at connect). */
async function countsOf(s: TestServer, cookie: string): Promise<{ socket: Socket; latest: () => Counts | null }> {
  let latest: Counts | null = null;
  const socket = io(s.url + '/admin', {
    transports: ['websocket'],
    extraHeaders: { cookie, origin: s.url },
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  socket.on('unread', (c: Counts) => (latest = c));
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, latest: () => latest };
}

describe('unread counts per agent', () => {
  let s: TestServer;
  let boCookie: string;
  let boId: string;
  beforeAll(async () => {
    s = await startTestServer();
    const bo = await s.admin('/admin/api/agents', { body: { email: 'bo@example.com', name: 'Bo' } });
    boId = bo.body.agent.id;
    boCookie = await s.signIn({ email: 'bo@example.com', password: bo.body.password });
  });
  afterAll(() => s.stop());

  const visitorWrites = async (text: string) => {
    const res = await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversation_id: string; visitor_token: string };
  };
  const sameAs = (want: Counts) => (got: Counts | null) => got !== null && JSON.stringify(got) === JSON.stringify(want);

  it('counts web and WhatsApp messages for every agent, live and over HTTP, and follows assignment, reads and resolving', async () => {
    const admin = await countsOf(s, await s.signIn());
    const bo = await countsOf(s, boCookie);
    const zero = { conversations: 0, messages: 0, mine: 0, unassigned: 0 };
    await waitFor(() => sameAs(zero)(admin.latest()) && sameAs(zero)(bo.latest()), { message: 'counts at connect' });

    const web = await visitorWrites('Hello from the website');
    const one = { conversations: 1, messages: 1, mine: 0, unassigned: 1 };
    await waitFor(() => sameAs(one)(admin.latest()) && sameAs(one)(bo.latest()), { message: 'web message counted' });

    await phoneSend(s, '447700900201', { type: 'text', text: { body: 'Hi on WhatsApp' } });
    await phoneSend(s, '447700900201', { type: 'text', text: { body: 'Anyone?' } });
    const wa = await conversationOf(s, '447700900201');
    const three = { conversations: 2, messages: 3, mine: 0, unassigned: 2 };
    await waitFor(() => sameAs(three)(admin.latest()) && sameAs(three)(bo.latest()), { message: 'WhatsApp messages counted' });
    // A list filtered to something else does not change the numbers.
    const filtered = await s.admin('/admin/api/conversations?q=nothing-matches-this&channel=web');
    expect(filtered.body.data).toEqual([]);
    expect((await s.admin('/admin/api/unread')).body.unread).toEqual(three);

    // Assigned to Bo: still Bo's, no longer the admin's.
    expect((await s.admin(`/admin/api/conversations/${web.conversation_id}`, { method: 'PATCH', body: { assignee_id: boId } })).status).toBe(200);
    await waitFor(() => sameAs({ conversations: 1, messages: 2, mine: 0, unassigned: 1 })(admin.latest()), { message: 'admin after assignment' });
    await waitFor(() => sameAs({ conversations: 2, messages: 3, mine: 1, unassigned: 1 })(bo.latest()), { message: 'Bo after assignment' });
    expect((await s.admin('/admin/api/unread', { cookie: boCookie })).body.unread).toEqual({ conversations: 2, messages: 3, mine: 1, unassigned: 1 });

    // Read: gone for everyone. Resolved: gone too, even with unread messages.
    expect((await s.admin(`/admin/api/conversations/${wa.id}/read`, { method: 'POST' })).status).toBe(200);
    await waitFor(() => sameAs({ conversations: 0, messages: 0, mine: 0, unassigned: 0 })(admin.latest()), { message: 'admin after read' });
    await waitFor(() => sameAs({ conversations: 1, messages: 1, mine: 1, unassigned: 0 })(bo.latest()), { message: 'Bo after read' });
    expect((await s.admin(`/admin/api/conversations/${web.conversation_id}`, { method: 'PATCH', body: { status: 'resolved' } })).status).toBe(200);
    await waitFor(() => sameAs(zero)(bo.latest()), { message: 'Bo after resolve' });
    admin.socket.disconnect();
    bo.socket.disconnect();
  });

  it('is for signed-in agents and tokens with conversations:read only', async () => {
    expect((await s.fetch('/admin/api/unread')).status).toBe(401);
    const token = (await s.admin('/admin/api/tokens', { body: { name: 'templates only', scopes: ['templates'] } })).body.token as string;
    const refused = await s.fetch('/admin/api/unread', { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('insufficient_scope');
    const reader = (await s.admin('/admin/api/tokens', { body: { name: 'reader', scopes: ['conversations:read'] } })).body.token as string;
    const ok = await s.fetch('/admin/api/unread', { headers: { authorization: `Bearer ${reader}` } });
    expect(ok.status).toBe(200);
    expect(Object.keys((await ok.json()).unread).sort()).toEqual(['conversations', 'messages', 'mine', 'unassigned']);
  });
});
