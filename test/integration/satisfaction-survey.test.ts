/**
 * The satisfaction survey over real HTTP, sockets and the sandbox: asked once per resolution of a
 * conversation someone answered, in the widget (socket and HTTP) and as a WhatsApp list inside the
 * customer's window; the answer lands in the timeline and the reports; late, repeated and foreign
 * answers change nothing; the switch in Settings turns it off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneInbox, phoneSend } from '../support/whatsapp.ts';

const today = () => new Date().toISOString().slice(0, 10);

describe('satisfaction survey', () => {
  let s: TestServer;
  let db: ReturnType<typeof createDb>;
  beforeAll(async () => {
    s = await startTestServer();
    db = createDb(s.config.database);
  });
  afterAll(async () => {
    await db.destroy();
    await s.stop();
  });

  /** A visitor who wrote, and an agent who answered: the conversation id and the visitor's token. */
  async function answeredWebChat(text = 'Where is my order?'): Promise<{ id: string; token: string }> {
    const res = await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    const { conversation_id: id, visitor_token: token } = (await res.json()) as { conversation_id: string; visitor_token: string };
    expect((await s.admin(`/admin/api/conversations/${id}/messages`, { body: { message_type: 'text', text: 'On its way.' } })).status).toBe(201);
    return { id, token };
  }

  const resolve = (id: string) => s.admin(`/admin/api/conversations/${id}`, { method: 'PATCH', body: { status: 'resolved' } });
  const current = async (token: string) => (await (await s.fetch(`/api/surveys/current?visitor_token=${token}`)).json()) as { survey: any };
  const answerOverHttp = (id: string, body: object) =>
    s.fetch(`/api/surveys/${id}/answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const satisfaction = async (channel?: string) =>
    (await s.admin(`/admin/api/reports/satisfaction?from=${today()}&to=${today()}&tz=UTC${channel ? `&channel=${channel}` : ''}`)).body;

  it('web: the widget is asked when an agent resolves; the answer lands in the timeline and the reports, once', async () => {
    const before = await satisfaction('web');
    const chat = await answeredWebChat();
    const widget = await s.visitorSocket({ visitor_token: chat.token });
    const asked = nextEvent(widget, 'survey:ask');
    expect((await resolve(chat.id)).status).toBe(200);
    const { survey } = await asked;
    expect(survey).toMatchObject({ conversation_id: chat.id, status: 'asked', rating: null });
    expect((await current(chat.token)).survey.id).toBe(survey.id);

    const unreadBefore = (await s.admin(`/admin/api/conversations/${chat.id}`)).body.conversation.unread;
    const ack = await widget.timeout(5000).emitWithAck('survey:answer', { survey_id: survey.id, rating: 4, comment: '  Quick and kind  ' });
    expect(ack).toMatchObject({ ok: true, survey: { id: survey.id, status: 'answered', rating: 4, comment: 'Quick and kind' } });

    const answer = (await messagesOf(s, chat.id)).at(-1);
    expect(answer).toMatchObject({ direction: 'inbound', sender: 'visitor', type: 'interactive', text: 'Rated 4 of 5 (Good) — Quick and kind' });
    const conversation = (await s.admin(`/admin/api/conversations/${chat.id}`)).body.conversation;
    expect(conversation).toMatchObject({ status: 'resolved', unread: unreadBefore });

    // Repeated, over the socket or HTTP: refused, nothing changes.
    const again = await widget.timeout(5000).emitWithAck('survey:answer', { survey_id: survey.id, rating: 1 });
    expect(again).toMatchObject({ ok: false, error: { code: 'survey_answered' } });
    const overHttp = await answerOverHttp(survey.id, { visitor_token: chat.token, rating: 2 });
    expect(overHttp.status).toBe(409);
    expect((await overHttp.json()).error.code).toBe('survey_answered');
    expect((await messagesOf(s, chat.id)).filter((m) => m.type === 'interactive')).toHaveLength(1);
    expect((await current(chat.token)).survey).toBeNull();

    const after = await satisfaction('web');
    expect(after.asked - before.asked).toBe(1);
    expect(after.responses - before.responses).toBe(1);
    expect(after.distribution['4'] - before.distribution['4']).toBe(1);
    const comments = await s.admin(`/admin/api/reports/satisfaction/comments?from=${today()}&to=${today()}&tz=UTC`);
    expect(comments.body.data).toContainEqual(
      expect.objectContaining({ survey_id: survey.id, conversation_id: chat.id, rating: 4, comment: 'Quick and kind', channel: 'web' }),
    );
  });

  it('one survey per resolution: resolving again asks nothing; reopened and resolved again asks anew', async () => {
    const chat = await answeredWebChat();
    await resolve(chat.id);
    const first = (await current(chat.token)).survey;
    expect(first).not.toBeNull();
    await resolve(chat.id);
    expect((await current(chat.token)).survey.id).toBe(first.id);
    expect(await db('satisfaction_surveys').where({ conversation_id: chat.id }).count({ n: '*' }).first()).toMatchObject({ n: 1 });

    // The visitor writes again (reopening it), an agent answers and resolves: a new resolution.
    await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'One more thing', visitor_token: chat.token }),
    });
    expect((await s.admin(`/admin/api/conversations/${chat.id}`)).body.conversation.status).toBe('open');
    await s.admin(`/admin/api/conversations/${chat.id}/messages`, { body: { message_type: 'text', text: 'Sure.' } });
    await resolve(chat.id);
    const second = (await current(chat.token)).survey;
    expect(second.id).not.toBe(first.id);
    expect(await db('satisfaction_surveys').where({ conversation_id: chat.id }).count({ n: '*' }).first()).toMatchObject({ n: 2 });
  });

  it('nobody answered the conversation: no survey', async () => {
    const res = await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello?' }) });
    const { conversation_id: id, visitor_token: token } = (await res.json()) as { conversation_id: string; visitor_token: string };
    await resolve(id);
    expect((await current(token)).survey).toBeNull();
  });

  it('late, foreign and malformed answers are refused with a clear error and change nothing', async () => {
    const chat = await answeredWebChat();
    const other = await answeredWebChat('Another visitor');
    await resolve(chat.id);
    const { survey } = await current(chat.token);

    const bad = await answerOverHttp(survey.id, { visitor_token: chat.token, rating: 6 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/rating/);
    expect((await answerOverHttp(survey.id, { visitor_token: chat.token, rating: 3, comment: 'x'.repeat(1001) })).status).toBe(400);
    expect((await answerOverHttp(survey.id, { visitor_token: other.token, rating: 5 })).status).toBe(404);
    expect((await answerOverHttp('01JZZZZZZZZZZZZZZZZZZZZZZZ', { visitor_token: chat.token, rating: 5 })).status).toBe(404);

    await db('satisfaction_surveys')
      .where({ id: survey.id })
      .update({ expires_at: Date.now() - 1 });
    const late = await answerOverHttp(survey.id, { visitor_token: chat.token, rating: 5 });
    expect(late.status).toBe(410);
    expect((await late.json()).error.code).toBe('survey_expired');
    expect(await db('satisfaction_surveys').where({ id: survey.id }).first()).toMatchObject({ rating: null, answered_at: null });
    expect((await messagesOf(s, chat.id)).some((m) => m.type === 'interactive')).toBe(false);
  });

  it('switched off in Settings: resolving asks nothing; admins only may switch it', async () => {
    expect((await s.admin('/admin/api/settings/satisfaction')).body.settings).toEqual({ enabled: true });
    const invite = await s.admin('/admin/api/agents', { body: { email: 'surveys-agent@example.com', name: 'Agent' } });
    const agentCookie = await s.signIn({ email: 'surveys-agent@example.com', password: invite.body.password });
    expect((await s.admin('/admin/api/settings/satisfaction', { method: 'PUT', body: { enabled: false }, cookie: agentCookie })).status).toBe(403);
    expect((await s.admin('/admin/api/settings/satisfaction', { method: 'PUT', body: { enabled: 'no' } })).status).toBe(400);
    expect((await s.admin('/admin/api/settings/satisfaction', { method: 'PUT', body: { enabled: false } })).status).toBe(200);
    try {
      const chat = await answeredWebChat();
      await resolve(chat.id);
      expect((await current(chat.token)).survey).toBeNull();
    } finally {
      await s.admin('/admin/api/settings/satisfaction', { method: 'PUT', body: { enabled: true } });
    }
  });

  it('WhatsApp: an interactive list inside the window; the tap is recorded once, quietly', async () => {
    const waId = '351911000111';
    await phoneSend(s, waId, { type: 'text', text: { body: 'Is the shop open on Sunday?' }, profile_name: 'Rui' });
    const conversation = await conversationOf(s, waId);
    await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text: 'Yes, 10–14.' } });
    await resolve(conversation.id);
    const unreadBefore = (await s.admin(`/admin/api/conversations/${conversation.id}`)).body.conversation.unread;

    const list = await waitFor(async () => (await phoneInbox(s, waId)).find((m: any) => m.type === 'interactive'));
    const sent = (list as any).message.interactive;
    expect(sent).toMatchObject({ type: 'list', header: { type: 'text', text: 'How did we do?' }, action: { button: 'Rate us' } });
    const rows = sent.action.sections[0].rows as { id: string; title: string; description: string }[];
    expect(rows.map((r) => r.description)).toEqual(['Excellent', 'Good', 'Okay', 'Poor', 'Very poor']);

    const tap = (row: { id: string }) =>
      phoneSend(s, waId, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: row.id } }, context: { id: list.wamid } });
    await tap(rows[0]!); // 5 — Excellent
    const stored = await waitFor(async () => db('satisfaction_surveys').where({ conversation_id: conversation.id }).whereNotNull('rating').first());
    expect(stored).toMatchObject({ rating: 5, channel: 'whatsapp' });
    await waitFor(async () => (await messagesOf(s, conversation.id)).find((m) => m.type === 'interactive' && m.direction === 'inbound'));

    await tap(rows[4]!); // tapped again: 1 — Very poor. Kept in the timeline, counts for nothing.
    await waitFor(async () => (await messagesOf(s, conversation.id)).filter((m) => m.type === 'interactive' && m.direction === 'inbound').length === 2);
    expect(await db('satisfaction_surveys').where({ conversation_id: conversation.id }).first()).toMatchObject({ rating: 5 });
    const after = (await s.admin(`/admin/api/conversations/${conversation.id}`)).body.conversation;
    expect(after).toMatchObject({ status: 'resolved', unread: unreadBefore });
    const inbound = (await messagesOf(s, conversation.id)).filter((m) => m.direction === 'inbound' && m.type === 'interactive');
    expect(inbound.map((m) => m.content.interactive.list_reply)).toEqual([
      { id: rows[0]!.id, title: rows[0]!.title, description: 'Excellent' },
      { id: rows[4]!.id, title: rows[4]!.title, description: 'Very poor' },
    ]);
    expect((await satisfaction('whatsapp')).distribution['5']).toBeGreaterThanOrEqual(1);
  });

  it('WhatsApp outside the 24-hour window: no survey', async () => {
    const waId = '351911000222';
    await phoneSend(s, waId, { type: 'text', text: { body: 'hi' } });
    const conversation = await conversationOf(s, waId);
    await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text: 'hello' } });
    await db('conversations')
      .where({ id: conversation.id })
      .update({ last_customer_message_at: Date.now() - 25 * 3600_000 });
    await resolve(conversation.id);
    expect(await db('satisfaction_surveys').where({ conversation_id: conversation.id }).first()).toBeUndefined();
  });
});
