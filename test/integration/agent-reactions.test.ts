/**
 * Reactions both ways, over real HTTP, socket.io and the sandbox: an agent reacts to a WhatsApp
 * customer's message (Meta's reaction to its wamid reaches the simulated phone) and to a web
 * visitor's (stored, live in the widget and in history); a visitor reacts to an agent's reply from
 * the widget's socket (live for agents). Reactions to messages of other conversations, text that
 * is not one emoji, and a visitor reacting to their own message are refused and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneInbox, phoneSend } from '../support/whatsapp.ts';

interface Msg {
  id: string;
  type: string;
  text: string;
  sender: string;
  wamid: string | null;
  status: string;
  reactions: { emoji: string; from: string }[];
}

interface PhoneView {
  outbox: { wamid: string; type: string; business_reaction?: string }[];
}

describe('reactions', () => {
  let s: TestServer;
  let cookie: string;
  let agents: Socket;
  beforeAll(async () => {
    s = await startTestServer();
    cookie = await s.signIn();
    agents = await s.adminSocket(cookie);
  });
  afterAll(() => s.stop());

  const send = (conversationId: string, body: object) => s.admin(`/admin/api/conversations/${conversationId}/messages`, { body });
  const react = (conversationId: string, messageId: string, emoji: string) => send(conversationId, { message_type: 'reaction', message_id: messageId, emoji });
  const history = async (visitorToken: string) => ((await (await s.fetch(`/api/messages?visitor_token=${visitorToken}`)).json()) as { data: Msg[] }).data;
  const phone = async (waId: string) => (await (await s.fetch(`/sandbox/phones/${waId}`)).json()) as PhoneView;

  async function webConversation(text: string) {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, name: 'Vera' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversation_id: string; message_id: string; visitor_token: string };
  }

  /** A web chat with the visitor's question and an agent's answer, and the visitor's socket. */
  async function webChat(question: string) {
    const web = await webConversation(question);
    const answer = (await send(web.conversation_id, { message_type: 'text', text: `Re: ${question}` })).body.message as Msg;
    const visitor = await s.visitorSocket({ visitor_token: web.visitor_token });
    return { ...web, answer, visitor };
  }

  async function whatsappChat(waId: string, text: string) {
    const sent = await phoneSend(s, waId, { type: 'text', text: { body: text } });
    const c = await conversationOf(s, waId);
    const message = await waitFor(async () => (await messagesOf(s, c.id)).find((m: Msg) => m.wamid === sent.wamid) as Msg | undefined);
    return { conversationId: c.id as string, message, wamid: sent.wamid };
  }

  it("sends an agent's reaction to a WhatsApp customer's message: stored on the bubble, live for agents, on the phone", async () => {
    const waId = '351910000201';
    const { conversationId, message, wamid } = await whatsappChat(waId, 'The parcel arrived!');
    const live = nextEvent<{ message: Msg }>(agents, 'message:new', (p) => p.message.id === message.id && p.message.reactions.length > 0);
    const res = await react(conversationId, message.id, '🎉');
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ id: message.id, reactions: [{ emoji: '🎉', from: 'agent' }] });
    expect((await live).message.reactions).toEqual([{ emoji: '🎉', from: 'agent' }]);

    const received = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.type === 'reaction' && m.text === '🎉'));
    expect(received).toMatchObject({ type: 'reaction', errors: [] });
    const onPhone = await waitFor(async () => (await phone(waId)).outbox.find((m) => m.wamid === wamid && m.business_reaction === '🎉'));
    expect(onPhone.business_reaction).toBe('🎉');
    // No message of its own: the thread still holds the customer's message only.
    expect((await messagesOf(s, conversationId)).map((m: Msg) => m.id)).toEqual([message.id]);

    // A new emoji replaces it; an empty one takes it back, on the phone too.
    expect((await react(conversationId, message.id, '👍')).body.message.reactions).toEqual([{ emoji: '👍', from: 'agent' }]);
    const removed = await react(conversationId, message.id, '');
    expect(removed.status).toBe(201);
    expect(removed.body.message.reactions).toEqual([]);
    await waitFor(async () => {
      const view = (await phone(waId)).outbox.find((m) => m.wamid === wamid);
      return view && view.business_reaction === undefined && (await phoneInbox(s, waId)).filter((m) => m.type === 'reaction').length === 3;
    });
    expect(((await messagesOf(s, conversationId)) as Msg[]).find((m) => m.id === message.id)?.reactions).toEqual([]);
  });

  it('keeps the customer’s own reaction beside the agent’s', async () => {
    const waId = '351910000202';
    const { conversationId, message } = await whatsappChat(waId, 'Thanks');
    const reply = (await send(conversationId, { message_type: 'text', text: 'You are welcome' })).body.message as Msg;
    const sentReply = await waitFor(async () => ((await messagesOf(s, conversationId)) as Msg[]).find((m) => m.id === reply.id && m.wamid));
    await phoneSend(s, waId, { type: 'reaction', reaction: { message_id: sentReply.wamid, emoji: '❤️' } });
    await waitFor(async () => ((await messagesOf(s, conversationId)) as Msg[]).find((m) => m.id === reply.id && m.reactions.length === 1));
    expect((await react(conversationId, reply.id, '👍')).body.message.reactions).toEqual([
      { emoji: '❤️', from: waId },
      { emoji: '👍', from: 'agent' },
    ]);
    // The agent may react to the customer's message as well.
    expect((await react(conversationId, message.id, '🙏')).status).toBe(201);
  });

  it('refuses a WhatsApp reaction to a message WhatsApp has no id for, and changes nothing', async () => {
    const waId = '351910000203';
    const { conversationId } = await whatsappChat(waId, 'Hello');
    const note = (await send(conversationId, { message_type: 'note', text: 'VIP customer' })).body.message as Msg;
    const refusedNote = await react(conversationId, note.id, '👍');
    expect(refusedNote.status).toBe(400);
    expect(refusedNote.body.error.code).toBe('validation_failed');
    const inboxBefore = (await phoneInbox(s, waId)).length;
    // An agent's reply still queued (the sandbox is failing) has no wamid yet.
    await s.fetch('/sandbox/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http_500', count: 50 }),
    });
    try {
      const queued = (await send(conversationId, { message_type: 'text', text: 'One moment' })).body.message as Msg;
      const res = await react(conversationId, queued.id, '👍');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/WhatsApp id/);
      expect(((await messagesOf(s, conversationId)) as Msg[]).find((m) => m.id === queued.id)?.reactions).toEqual([]);
    } finally {
      await s.fetch('/sandbox/faults', { method: 'DELETE' });
    }
    expect((await phoneInbox(s, waId)).filter((m) => m.type === 'reaction').length).toBe(0);
    expect((await phoneInbox(s, waId)).length).toBeGreaterThanOrEqual(inboxBefore);
  });

  it("stores an agent's reaction in a web chat and shows it to the visitor live and after a reload", async () => {
    const { conversation_id: id, message_id, visitor_token, visitor } = await webChat('Is it in stock?');
    const live = nextEvent<{ message: Msg }>(visitor, 'message:new', (p) => p.message.id === message_id && p.message.reactions.length > 0);
    const res = await react(id, message_id, '👀');
    expect(res.status).toBe(201);
    expect((await live).message.reactions).toEqual([{ emoji: '👀', from: 'agent' }]);
    expect((await history(visitor_token)).find((m) => m.id === message_id)?.reactions).toEqual([{ emoji: '👀', from: 'agent' }]);
    const ack = (await visitor.emitWithAck('history', {})) as { messages: Msg[] };
    expect(ack.messages.find((m) => m.id === message_id)?.reactions).toEqual([{ emoji: '👀', from: 'agent' }]);
    visitor.disconnect();
  });

  it('refuses an agent reaction to another conversation’s message, an unknown one, or one that is not a single emoji; nothing changes', async () => {
    const a = await webConversation('First chat');
    const b = await webConversation('Second chat');
    const bodies: [string, object][] = [
      ['other conversation', { message_type: 'reaction', message_id: b.message_id, emoji: '👍' }],
      ['unknown message', { message_type: 'reaction', message_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', emoji: '👍' }],
      ['text', { message_type: 'reaction', message_id: a.message_id, emoji: 'hello' }],
      ['two emoji', { message_type: 'reaction', message_id: a.message_id, emoji: '👍👍' }],
      ['emoji and text', { message_type: 'reaction', message_id: a.message_id, emoji: '👍ok' }],
      ['no message', { message_type: 'reaction', emoji: '👍' }],
      ['no emoji', { message_type: 'reaction', message_id: a.message_id }],
    ];
    for (const [what, body] of bodies) {
      const res = await send(a.conversation_id, body);
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toBe('validation_failed');
    }
    for (const c of [a, b]) expect(((await messagesOf(s, c.conversation_id)) as Msg[]).every((m) => m.reactions.length === 0)).toBe(true);
  });

  it("takes a visitor's reaction to an agent's reply: acked, live for agents and the visitor's tabs, kept in history, removable", async () => {
    const { conversation_id: id, answer, visitor, visitor_token } = await webChat('Do you ship to Porto?');
    const otherTab = await s.visitorSocket({ visitor_token });
    const forAgents = nextEvent<{ message: Msg }>(agents, 'message:new', (p) => p.message.id === answer.id && p.message.reactions.length > 0);
    const forTab = nextEvent<{ message: Msg }>(otherTab, 'message:new', (p) => p.message.id === answer.id && p.message.reactions.length > 0);
    const ack = (await visitor.emitWithAck('reaction', { message_id: answer.id, emoji: '👍' })) as { ok: boolean; message: Msg };
    expect(ack.ok).toBe(true);
    expect(ack.message.reactions).toEqual([{ emoji: '👍', from: 'visitor' }]);
    expect((await forAgents).message.reactions).toEqual([{ emoji: '👍', from: 'visitor' }]);
    expect((await forTab).message.reactions).toEqual([{ emoji: '👍', from: 'visitor' }]);
    expect((await history(visitor_token)).find((m) => m.id === answer.id)?.reactions).toEqual([{ emoji: '👍', from: 'visitor' }]);

    // The agent's reaction joins it; the visitor's empty emoji takes only theirs back.
    await react(id, answer.id, '🙌');
    const removed = (await visitor.emitWithAck('reaction', { message_id: answer.id, emoji: '' })) as { ok: boolean; message: Msg };
    expect(removed.message.reactions).toEqual([{ emoji: '🙌', from: 'agent' }]);
    visitor.disconnect();
    otherTab.disconnect();
  });

  it("refuses a visitor's reaction to their own message, another conversation's, or with text; nothing changes", async () => {
    const mine = await webChat('My question');
    const other = await webChat('Someone else');
    const cases: [string, object, string][] = [
      ['own message', { message_id: mine.message_id, emoji: '👍' }, 'your own'],
      ["another conversation's reply", { message_id: other.answer.id, emoji: '👍' }, 'your conversation'],
      ['unknown message', { message_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', emoji: '👍' }, 'your conversation'],
      ['text', { message_id: mine.answer.id, emoji: 'hello' }, 'single emoji'],
      ['no message_id', { emoji: '👍' }, 'message_id'],
    ];
    for (const [what, payload, says] of cases) {
      const ack = (await mine.visitor.emitWithAck('reaction', payload)) as { ok: boolean; error: { code: string; message: string } };
      expect(ack.ok, what).toBe(false);
      expect(ack.error.code, what).toBe('validation_failed');
      expect(ack.error.message, what).toContain(says);
    }
    // A visitor who never wrote has no conversation to react in.
    const stranger = await s.visitorSocket();
    const ack = (await stranger.emitWithAck('reaction', { message_id: mine.answer.id, emoji: '👍' })) as { ok: boolean };
    expect(ack.ok).toBe(false);
    for (const c of [mine, other]) expect(((await messagesOf(s, c.conversation_id)) as Msg[]).every((m) => m.reactions.length === 0)).toBe(true);
    for (const sock of [mine.visitor, other.visitor, stranger]) sock.disconnect();
  });
});
