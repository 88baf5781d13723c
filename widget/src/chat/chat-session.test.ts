import { describe, expect, it, vi } from 'vitest';
import type { MessageJson } from '@connectdesk/shared';
import { messageJson } from '@connectdesk/shared/fixtures';
import type { VisitorSocket } from '../socket.ts';
import { KEYS, type Store } from '../storage.ts';
import { ChatSession } from './chat-session.ts';

type Handler = (...args: any[]) => void;

/** Just enough of a socket.io client socket, driven by the test. */
class FakeSocket {
  connected = false;
  active = true;
  handlers = new Map<string, Handler[]>();
  sent: { event: string; payload: any }[] = [];
  /** The server's answers: history is empty, sends are stored as they come, the rest succeeds. */
  ackWith: (event: string, payload: any) => any = (event, p) =>
    event === 'history'
      ? { ok: true, messages: [] }
      : event === 'message:send'
        ? { ok: true, message: stored({ text: p.text, client_id: p.client_id }) }
        : { ok: true };
  constructor(readonly auth: () => { visitor_token?: string }) {}
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, ...args: any[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  connect() {
    this.connected = true;
    this.fire('connect');
    return this;
  }
  disconnect() {
    this.connected = false;
    this.fire('disconnect', 'io client disconnect');
    return this;
  }
  emit(event: string, payload: any) {
    this.sent.push({ event, payload });
    return this;
  }
  timeout() {
    return {
      emit: (event: string, payload: any, cb: Handler) => {
        this.sent.push({ event, payload });
        cb(null, this.ackWith(event, payload));
      },
      emitWithAck: async (event: string, payload: any) => {
        this.sent.push({ event, payload });
        if (!this.connected) throw new Error('timeout');
        return this.ackWith(event, payload);
      },
    };
  }
}

function memoryStore(): Store & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: (k) => data.get(k) ?? null, set: (k, v) => (v === null ? data.delete(k) : data.set(k, v)) };
}

function fakeWindow() {
  const target = new EventTarget();
  return Object.assign(target, {
    navigator: { onLine: true },
    location: { href: 'https://shop.example/p/1' },
    crypto: globalThis.crypto,
    document: Object.assign(new EventTarget(), { visibilityState: 'visible' }),
  }) as unknown as Window;
}

function stored(p: Partial<MessageJson>): MessageJson {
  return messageJson({ id: 'srv-' + Math.random().toString(36).slice(2), conversation_id: 'c', created_at: new Date().toISOString(), ...p });
}

function setup(store = memoryStore(), win = fakeWindow()) {
  let socket!: FakeSocket;
  const replies: string[] = [];
  const session = new ChatSession({
    base: 'https://desk.example',
    win,
    store,
    fetch: vi.fn(),
    connect: (auth) => (socket = new FakeSocket(auth)) as unknown as VisitorSocket,
    onReply: (item) => replies.push(item.text),
    onMessage: () => {},
  });
  return { session, store, win, replies, socket: () => socket };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ChatSession', () => {
  it('queues messages while offline, persists them, and sends them in order with their client_id on connect', async () => {
    const win = fakeWindow();
    (win.navigator as { onLine: boolean }).onLine = false;
    const { session, store, socket } = setup(memoryStore(), win);
    session.start();
    expect(session.state.connection).toBe('offline');
    session.send('one');
    session.send('  two  ');
    const queued = JSON.parse(store.get(KEYS.outbox)!);
    expect(queued.map((e: { text: string }) => e.text)).toEqual(['one', 'two']);
    expect(session.state.items.map((i) => i.state)).toEqual(['sending', 'sending']);

    (win.navigator as { onLine: boolean }).onLine = true;
    win.dispatchEvent(new Event('online'));
    await flush();
    const sends = socket()
      .sent.filter((s) => s.event === 'message:send')
      .map((s) => s.payload);
    expect(sends.map((p) => p.text)).toEqual(['one', 'two']);
    expect(sends.map((p) => p.client_id)).toEqual(queued.map((e: { client_id: string }) => e.client_id));
    expect(store.get(KEYS.outbox)).toBeNull();
    expect(session.state.items.map((i) => [i.text, i.state])).toEqual([
      ['one', 'sent'],
      ['two', 'sent'],
    ]);
    expect(store.get(KEYS.active)).toBe('1');
  });

  it('sends a tapped quick reply as a choice (shown with its title until stored), without the text', async () => {
    const { session, socket } = setup();
    session.start();
    session.send('Yes, thanks', { message_id: 'offer-1', id: 'yes' });
    expect(session.state.items.at(-1)).toMatchObject({ text: 'Yes, thanks', mine: true });
    await flush();
    const payload = socket().sent.find((s) => s.event === 'message:send')!.payload;
    expect(payload.choice).toEqual({ message_id: 'offer-1', id: 'yes' });
    expect(payload.text).toBeUndefined();
    expect(typeof payload.client_id).toBe('string');
  });

  it('retries a refused choice as the same choice', async () => {
    const { session, socket } = setup();
    session.start();
    socket().ackWith = (event) => (event === 'message:send' ? { ok: false, error: { code: 'internal', message: 'try again' } } : { ok: true, messages: [] });
    session.send('No', { message_id: 'offer-2', id: 'no' });
    await flush();
    const failed = session.state.items.at(-1)!;
    expect(failed.state).toBe('failed');
    socket().ackWith = (event, p) =>
      event === 'message:send' ? { ok: true, message: stored({ text: 'No', client_id: p.client_id }) } : { ok: true, messages: [] };
    session.retry(failed);
    await flush();
    const sends = socket().sent.filter((s) => s.event === 'message:send');
    expect(sends.map((s) => s.payload.choice)).toEqual([
      { message_id: 'offer-2', id: 'no' },
      { message_id: 'offer-2', id: 'no' },
    ]);
    expect(session.state.items.at(-1)!.state).toBe('sent');
  });

  it('tries to reconnect at once when the visitor comes back to the tab, without waiting out the backoff', async () => {
    const { session, win, socket } = setup();
    session.start();
    expect(session.state.connection).toBe('online');
    // Coming back to the tab while connected changes nothing.
    win.document.dispatchEvent(new Event('visibilitychange'));
    expect(socket().sent.length).toBe(1); // just the history request
    socket().connected = false;
    socket().fire('disconnect', 'transport close');
    expect(session.state.connection).toBe('reconnecting');
    win.document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(socket().connected).toBe(true);
    expect(session.state.connection).toBe('online');
  });

  it('keeps a message queued when its ack never comes, and resends the same client_id on the next connect', async () => {
    const { session, store, socket } = setup();
    session.start();
    socket().connected = false; // the connection dropped without the client noticing yet
    session.send('lost ack');
    await flush();
    expect(JSON.parse(store.get(KEYS.outbox)!)).toHaveLength(1);
    socket().connect();
    await flush();
    expect(store.get(KEYS.outbox)).toBeNull();
  });

  it('remembers an issued token only when none is stored, and the token it wrote with', async () => {
    const store = memoryStore();
    store.set(KEYS.token, 'token-from-other-tab');
    const { session, socket } = setup(store);
    session.start();
    expect(socket().auth()).toEqual({ visitor_token: 'token-from-other-tab' });
    socket().fire('session', { visitor_token: 'fresh-token' }); // the stored one was never used
    expect(store.get(KEYS.token)).toBe('token-from-other-tab');
    expect(socket().auth()).toEqual({ visitor_token: 'fresh-token' });
    session.send('hello');
    await flush();
    expect(store.get(KEYS.token)).toBe('fresh-token');
  });

  it('follows a token another tab stored and reloads the conversation', () => {
    const { session, win, socket } = setup();
    session.start();
    const before = socket().sent.length;
    const e = Object.assign(new Event('storage'), { key: KEYS.token, newValue: 'other-tab-token' });
    win.dispatchEvent(e);
    expect(socket().auth()).toEqual({ visitor_token: 'other-tab-token' });
    expect(
      socket()
        .sent.slice(before)
        .map((s) => s.event),
    ).toContain('history');
  });

  it('marks a rejected message as failed instead of retrying it forever', async () => {
    const { session, store, socket } = setup();
    session.start();
    const server = socket().ackWith;
    socket().ackWith = (event, p) =>
      event === 'message:send' ? { ok: false, error: { code: 'validation_failed', message: 'text must not be empty' } } : server(event, p);
    session.send('x');
    await flush();
    expect(session.state.items[0]).toMatchObject({ state: 'failed', error: 'text must not be empty' });
    expect(store.get(KEYS.outbox)).toBeNull();
  });

  it('counts unread replies while hidden, notifies, and sends a read receipt once visible', async () => {
    const { session, store, socket, replies } = setup();
    session.start();
    const reply = stored({ direction: 'outbound', sender: 'agent', text: 'Hi there', author_name: 'Ana' });
    socket().fire('typing', { on: true });
    expect(session.state.agentTyping).toBe('');
    socket().fire('message:new', { message: reply });
    socket().fire('message:new', { message: reply }); // a duplicate push changes nothing
    expect(session.state.agentTyping).toBeNull();
    expect(session.state.unread).toBe(1);
    expect(replies).toEqual(['Hi there']);
    session.setVisible(true);
    expect(session.state.unread).toBe(0);
    expect(store.get(KEYS.seen)).toBe(reply.created_at);
    expect(
      socket()
        .sent.filter((s) => s.event === 'read')
        .map((s) => s.payload),
    ).toEqual([{ up_to: reply.id }]);
  });

  it('shows read receipts for the visitor’s own messages', async () => {
    const { session, socket } = setup();
    session.start();
    const mine = stored({ text: 'mine', client_id: 'c-1' });
    const server = socket().ackWith;
    socket().ackWith = (event, p) => (event === 'message:send' ? { ok: true, message: mine } : server(event, p));
    session.send('mine');
    await flush();
    socket().fire('message:status', { id: mine.id, status: 'read' });
    expect(session.state.items.find((i) => i.text === 'mine')!.state).toBe('read');
  });

  it('emits typing on once per burst and off after a pause or on send', () => {
    vi.useFakeTimers();
    const { session, socket } = setup();
    session.start();
    session.noteTyping();
    session.noteTyping();
    session.noteTyping();
    vi.advanceTimersByTime(3100);
    session.noteTyping();
    session.stopTyping();
    expect(
      socket()
        .sent.filter((s) => s.event === 'typing')
        .map((s) => s.payload.on),
    ).toEqual([true, false, true, false]);
    vi.useRealTimers();
  });

  it('a survey: shown when asked, answered once; a refused answer closes it, a lost one can be sent again', async () => {
    const { session, socket } = setup();
    session.start();
    const survey = { id: 'S1', conversation_id: 'c', status: 'asked' as const, asked_at: '', expires_at: '', rating: null, comment: null, answered_at: null };
    socket().fire('survey:ask', { survey });
    expect(session.state.survey).toEqual({ survey, phase: 'ask' });

    socket().disconnect();
    await session.answerSurvey(5, 'x');
    expect(session.state.survey?.phase).toBe('failed');
    socket().connect();
    socket().ackWith = (event, p) =>
      event === 'survey:answer' ? { ok: true, survey: { ...survey, status: 'answered', rating: p.rating, comment: p.comment } } : { ok: true, messages: [] };
    await session.answerSurvey(5, '  great  ');
    expect(
      socket()
        .sent.filter((x) => x.event === 'survey:answer')
        .at(-1)!.payload,
    ).toEqual({ survey_id: 'S1', rating: 5, comment: 'great' });
    expect(session.state.survey).toMatchObject({ phase: 'done', survey: { status: 'answered', rating: 5 } });
    await session.answerSurvey(1, '');
    expect(socket().sent.filter((x) => x.event === 'survey:answer')).toHaveLength(1);

    socket().fire('survey:ask', { survey: { ...survey, id: 'S2' } });
    socket().ackWith = () => ({ ok: false, error: { code: 'survey_expired', message: 'too late' } });
    await session.answerSurvey(3, '');
    expect(session.state.survey).toMatchObject({ phase: 'closed', survey: { id: 'S2' } });
  });
});
