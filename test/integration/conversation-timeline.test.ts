/**
 * Timeline events: assigning, unassigning, resolving and reopening a conversation is stored in its
 * thread (agents only) and pushed live as `message:new`; bad changes are refused and store nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestServer } from '../support/server.ts';

describe('conversation timeline events', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  async function visitorConversation(text: string) {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, name: 'Vera' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversation_id: string; visitor_token: string };
  }

  const events = async (id: string) =>
    (
      (await s.admin(`/admin/api/conversations/${id}/messages`)).body.data as {
        type: string;
        sender: string;
        is_note: boolean;
        text: string;
        content: unknown;
      }[]
    ).filter((m) => m.type === 'event');

  it('stores assign, resolve, unassign and reopen in the thread, pushes them live, and keeps them from the visitor', async () => {
    const { conversation_id: id, visitor_token } = await visitorConversation('Where is my order?');
    const invite = await s.admin('/admin/api/agents', { body: { email: 'ben@example.com', name: 'Ben' } });
    const ben = invite.body.agent as { id: string };
    const me = (await s.admin('/admin/api/me')).body.user as { id: string; name: string };
    const agent = await s.adminSocket(await s.signIn());

    const live = nextEvent<{ message: { type: string }; conversation: unknown }>(agent, 'message:new', (p) => p.message.type === 'event');
    const patched = await s.admin(`/admin/api/conversations/${id}`, { method: 'PATCH', body: { assignee_id: ben.id, status: 'resolved' } });
    expect(patched.status).toBe(200);
    const first = await live;
    expect(first.conversation).toMatchObject({ id, status: 'resolved', assignee_id: ben.id });
    expect(first.message).toMatchObject({
      conversation_id: id,
      type: 'event',
      sender: 'system',
      direction: 'outbound',
      is_note: true,
      text: `${me.name} assigned this conversation to Ben`,
      content: { event: 'assigned', by: { id: me.id, name: me.name }, assignee: { id: ben.id, name: 'Ben' } },
    });

    expect((await s.admin(`/admin/api/conversations/${id}`, { method: 'PATCH', body: { assignee_id: null } })).status).toBe(200);
    expect((await s.admin(`/admin/api/conversations/${id}`, { method: 'PATCH', body: { status: 'open' } })).status).toBe(200);

    // In the thread for good (a reload reads them back), oldest first, after the visitor's message.
    const all = (await s.admin(`/admin/api/conversations/${id}/messages`)).body.data as { type: string; text: string; content: { event: string } | null }[];
    expect(all.map((m) => (m.type === 'event' ? m.content!.event : m.text))).toEqual(['Where is my order?', 'assigned', 'resolved', 'unassigned', 'reopened']);
    expect(all.filter((m) => m.type === 'event').map((m) => m.text)).toEqual([
      `${me.name} assigned this conversation to Ben`,
      `${me.name} resolved this conversation`,
      `${me.name} unassigned this conversation`,
      `${me.name} reopened this conversation`,
    ]);
    // The list preview still shows the customer's words, and the visitor never sees the events.
    const conv = (await s.admin(`/admin/api/conversations/${id}`)).body.conversation;
    expect(conv.last_message_preview).toBe('Where is my order?');
    const visitorView = (await (await s.fetch(`/api/messages?visitor_token=${visitor_token}`)).json()) as { data: { text: string }[] };
    expect(visitorView.data.map((m) => m.text)).toEqual(['Where is my order?']);
  });

  it('a change that changes nothing, or a bad one, adds no event', async () => {
    const { conversation_id: id } = await visitorConversation('Hello?');
    expect((await s.admin(`/admin/api/conversations/${id}`, { method: 'PATCH', body: { status: 'open' } })).status).toBe(200);
    const bad = await s.admin(`/admin/api/conversations/${id}`, { method: 'PATCH', body: { status: 'closed' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await s.admin(`/admin/api/conversations/${id}`, { method: 'PATCH', body: {} })).status).toBe(400);
    expect((await s.admin('/admin/api/conversations/nope', { method: 'PATCH', body: { status: 'resolved' } })).status).toBe(404);
    expect(await events(id)).toEqual([]);
  });
});
