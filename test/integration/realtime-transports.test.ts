/**
 * Both socket.io transports, end to end, for visitors and agents: long-polling only (what a
 * network that blocks WebSockets leaves), WebSocket only, and polling upgraded to WebSocket (what
 * the widget and the admin app do by default). In each: the visitor's `message:send` is acked with
 * the stored message, the agent's `/admin` socket gets `message:new`, the agent's reply reaches the
 * visitor's socket, and a dropped transport or a new socket with the same token keeps the
 * conversation. A long-polling POST used to crash the whole process (Koa answered it too).
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';

type Mode = 'polling' | 'websocket' | 'upgrade';

const TRANSPORTS: Record<Mode, Partial<ManagerOptions & SocketOptions>> = {
  polling: { transports: ['polling'] },
  websocket: { transports: ['websocket'] },
  upgrade: { transports: ['polling', 'websocket'], upgrade: true },
};

/** The transport a connected client ends up on: polling stays polling; upgrade ends on websocket. */
const FINAL: Record<Mode, string> = { polling: 'polling', websocket: 'websocket', upgrade: 'websocket' };

describe.each(['polling', 'websocket', 'upgrade'] as const)('realtime over %s', (mode) => {
  let s: TestServer;
  let cookie: string;
  const sockets: Socket[] = [];

  function open(nsp: '/visitor' | '/admin', opts: Partial<ManagerOptions & SocketOptions> = {}): Socket {
    const sock = io(s.url + nsp, { ...TRANSPORTS[mode], forceNew: true, reconnection: false, ...opts });
    sockets.push(sock);
    return sock;
  }

  async function connected(sock: Socket): Promise<Socket> {
    if (!sock.connected) {
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', () => resolve());
        sock.once('connect_error', reject);
      });
    }
    const engine = sock.io.engine;
    if (mode === 'upgrade' && engine.transport.name !== 'websocket') await new Promise((resolve) => engine.once('upgrade', resolve));
    expect(engine.transport.name).toBe(FINAL[mode]);
    return sock;
  }

  beforeAll(async () => {
    s = await startTestServer();
    cookie = await s.signIn();
  });
  afterAll(async () => {
    for (const sock of sockets) sock.disconnect();
    await s.stop();
  });

  it('a visitor writes, the agent sees it live, the reply reaches the visitor', async () => {
    const agent = await connected(open('/admin', { extraHeaders: { cookie, origin: s.url } }));
    const visitor = open('/visitor');
    const session = await nextEvent<{ visitor_token: string }>(visitor, 'session');
    await connected(visitor);

    const seen = nextEvent<any>(agent, 'message:new', (p) => p.message.text === `hello over ${mode}`);
    const ack = await visitor.timeout(10_000).emitWithAck('message:send', { text: `hello over ${mode}`, client_id: `${mode}-1` });
    expect(ack).toMatchObject({ ok: true, message: { text: `hello over ${mode}`, direction: 'inbound', client_id: `${mode}-1` } });
    const { message, conversation } = await seen;
    expect(message.id).toBe(ack.message.id);
    expect(conversation).toMatchObject({ id: ack.message.conversation_id, channel: 'web' });
    // Acked means stored: the agent's REST view has it.
    const stored = await s.admin(`/admin/api/conversations/${conversation.id}/messages`);
    expect(stored.body.data.map((m: { id: string }) => m.id)).toContain(ack.message.id);

    const reply = nextEvent<any>(visitor, 'message:new', (p) => p.message.direction === 'outbound');
    const sent = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text: `answer over ${mode}` } });
    expect(sent.status).toBe(201);
    expect((await reply).message).toMatchObject({ text: `answer over ${mode}`, conversation_id: conversation.id });

    // Agent typing reaches the visitor over the same transport.
    const typing = nextEvent<{ on: boolean }>(visitor, 'typing');
    agent.emit('typing', { conversation_id: conversation.id, on: true });
    expect(await typing).toEqual({ on: true });
    expect(session.visitor_token).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    // Both still on the transport under test after all that traffic.
    expect(visitor.io.engine.transport.name).toBe(FINAL[mode]);
    expect(agent.io.engine.transport.name).toBe(FINAL[mode]);
  });

  it('a dropped transport reconnects by itself and keeps the conversation', async () => {
    // As the widget does: the handshake sends the token it holds now, so a reconnect is the same visitor.
    let held: { visitor_token?: string } = {};
    const visitor = open('/visitor', { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 200, auth: (cb) => cb(held) });
    const { visitor_token } = await nextEvent<{ visitor_token: string }>(visitor, 'session');
    held = { visitor_token };
    await connected(visitor);
    const first = await visitor.timeout(10_000).emitWithAck('message:send', { text: 'before the drop', client_id: `${mode}-d1` });
    expect(first.ok).toBe(true);

    const back = nextEvent(visitor, 'connect');
    visitor.io.engine.close(); // the network drops: the client notices and reconnects on its own
    await back;
    await connected(visitor);
    const second = await visitor.timeout(10_000).emitWithAck('message:send', { text: 'after the drop', client_id: `${mode}-d2` });
    expect(second).toMatchObject({ ok: true, message: { conversation_id: first.message.conversation_id } });

    // A new socket (a reload, another tab) with the token sees the whole conversation.
    const tab = await connected(open('/visitor', { auth: { visitor_token } }));
    const history = await tab.timeout(10_000).emitWithAck('history', {});
    expect(history.messages.map((m: { text: string }) => m.text)).toEqual(['before the drop', 'after the drop']);
    // An agent's reply reaches every socket of that visitor, the reconnected one included.
    const onFirst = nextEvent<any>(visitor, 'message:new', (p) => p.message.direction === 'outbound');
    const onTab = nextEvent<any>(tab, 'message:new', (p) => p.message.direction === 'outbound');
    const sent = await s.admin(`/admin/api/conversations/${first.message.conversation_id}/messages`, { body: { message_type: 'text', text: 'to both tabs' } });
    expect(sent.status).toBe(201);
    expect((await onFirst).message.text).toBe('to both tabs');
    expect((await onTab).message.text).toBe('to both tabs');
  });

  it('the /admin socket refuses a missing cookie or a foreign Origin on this transport too', async () => {
    const attempt = async (extraHeaders: Record<string, string>) => {
      const sock = open('/admin', { extraHeaders });
      const outcome = await new Promise<string>((resolve) => {
        sock.once('connect', () => resolve('connected'));
        sock.once('connect_error', (err) => resolve(err.message));
      });
      sock.disconnect();
      return outcome;
    };
    expect(await attempt({ cookie, origin: 'https://evil.example' })).toBe('forbidden origin');
    expect(await attempt({ origin: s.url })).toBe('unauthorized');
    expect(await attempt({ cookie, origin: s.url })).toBe('connected');
    const health = await waitFor(async () => (await s.fetch('/healthz')).status === 200);
    expect(health).toBe(true);
  });
});
