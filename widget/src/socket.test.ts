/**
 * The widget's own socket.io client (socket.ts over socket-engine.ts) against a real socket.io
 * server, configured like the product's (server/src/realtime/io.ts), over WebSocket and over HTTP
 * long-polling.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { visitorSocket, type VisitorSocket } from './socket.ts';

// The widget does not depend on the server: socket.io comes from the server package, where the
// product gets it, and `ws` (Node 20 has no global WebSocket) from engine.io, which uses it.
const fromServer = createRequire(new URL('../../server/package.json', import.meta.url));
const { Server } = fromServer('socket.io') as { Server: new (http: http.Server, opts: object) => IoServer };
const { WebSocket: NodeWebSocket } = createRequire(fromServer.resolve('engine.io'))('ws') as { WebSocket: WsConstructor };

/** The parts of socket.io's server API these tests use (the widget has no socket.io types). */
interface IoServer {
  of(name: string): Namespace;
  engine: { on(event: 'connection', fn: () => void): void };
  close(): Promise<void>;
}
interface Namespace {
  on(event: 'connection', fn: (socket: ServerSocket) => void): void;
  use(fn: (socket: ServerSocket, next: (err?: Error) => void) => void): void;
  to(room: string): { emit(event: string, ...args: unknown[]): boolean };
}
interface ServerSocket {
  id: string;
  recovered: boolean;
  handshake: { auth: Record<string, unknown> };
  conn: { transport: { name: string }; close(): void; on(event: 'packet', fn: (packet: { type: string }) => void): void };
  on<A extends unknown[]>(event: string, fn: (...args: A) => void): void;
  emit(event: string, ...args: unknown[]): boolean;
  join(room: string): void;
}
type WsConstructor = new (url: string) => { on(event: 'error', fn: () => void): void };

/** Like a browser's, a refused WebSocket only closes; ws (an EventEmitter) would throw an unhandled 'error'. */
class BrowserLikeWebSocket extends NodeWebSocket {
  constructor(url: string) {
    super(url);
    this.on('error', () => {});
  }
}

const WAIT = { timeout: 5000, interval: 10 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TestServer {
  io: IoServer;
  visitor: Namespace;
  url: string;
  /** Every `/visitor` socket the server accepted, in order. */
  sockets: ServerSocket[];
  /** HTTP requests by method, long-polling's included. */
  requests: { GET: number; POST: number };
}

const servers: { io: IoServer; http: http.Server }[] = [];
const clients: VisitorSocket[] = [];

/** The product's options (io.ts); `overrides` shorten the heartbeat or refuse WebSockets. */
async function startServer(overrides: { transports?: string[]; pingInterval?: number; pingTimeout?: number } = {}): Promise<TestServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    transports: ['websocket', 'polling'],
    cors: { origin: true, credentials: false },
    perMessageDeflate: false,
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    ...overrides,
  });
  servers.push({ io, http: httpServer });
  const requests = { GET: 0, POST: 0 };
  httpServer.prependListener('request', (req: http.IncomingMessage) => {
    if (req.method === 'GET' || req.method === 'POST') requests[req.method]++;
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const visitor = io.of('/visitor');
  const sockets: ServerSocket[] = [];
  visitor.on('connection', (socket) => sockets.push(socket));
  return { io, visitor, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, sockets, requests };
}

/** A client that records its reserved events; disconnected after the test. */
function client(url: string, auth: () => { visitor_token?: string } = () => ({ visitor_token: 'tok-1' })) {
  const socket = visitorSocket(url, auth);
  clients.push(socket);
  const seen: string[] = [];
  const errors: Error[] = [];
  const reasons: string[] = [];
  socket.on('connect', () => seen.push('connect'));
  socket.on('disconnect', (reason) => (seen.push('disconnect'), reasons.push(reason)));
  socket.on('connect_error', (err) => (seen.push('connect_error'), errors.push(err)));
  return { socket, seen, errors, reasons };
}

async function connected(server: TestServer, c: ReturnType<typeof client>, count = 1): Promise<ServerSocket> {
  await vi.waitFor(() => {
    expect(c.seen.filter((e) => e === 'connect')).toHaveLength(count);
    expect(server.sockets).toHaveLength(count);
  }, WAIT);
  return server.sockets[count - 1]!;
}

beforeAll(() => {
  globalThis.WebSocket = BrowserLikeWebSocket as unknown as typeof WebSocket;
});

afterAll(() => {
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const s of servers.splice(0)) {
    s.http.closeAllConnections();
    await s.io.close();
  }
});

describe('the widget socket against a real socket.io server', () => {
  it('connects over WebSocket with its auth, passes server events on with exactly their payload and gets acks', async () => {
    const server = await startServer();
    server.visitor.on('connection', (socket) => {
      socket.on('history', (payload: unknown, ack: (reply: unknown) => void) => ack({ messages: [], echo: payload }));
    });
    const c = client(server.url, () => ({ visitor_token: 'tok-42' }));
    expect(c.socket.active).toBe(false);

    c.socket.connect();
    expect(c.socket.active).toBe(true);
    expect(c.socket.connected).toBe(false);
    const socket = await connected(server, c);
    expect(socket.handshake.auth).toEqual({ visitor_token: 'tok-42' });
    expect(socket.conn.transport.name).toBe('websocket');
    expect(c.socket.connected).toBe(true);
    expect(c.socket.active).toBe(true);

    // With connection-state recovery on, the server appends an offset to every event: not for listeners.
    const received: unknown[][] = [];
    c.socket.on('message:status', (...args) => received.push(args));
    socket.emit('message:status', { id: 'm-1', status: 'read', nested: { list: [1, 'two', null] } });
    await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
    expect(received[0]).toEqual([{ id: 'm-1', status: 'read', nested: { list: [1, 'two', null] } }]);

    await expect(c.socket.timeout(2000).emitWithAck('history', { before: 'm-9' })).resolves.toEqual({ messages: [], echo: { before: 'm-9' } });
  });

  it('falls back to long-polling when the server refuses WebSockets, and round-trips events, acks and a burst of 50 emits in order', async () => {
    const server = await startServer({ transports: ['polling'] });
    const reads: string[] = [];
    server.visitor.on('connection', (socket) => {
      socket.on('read', (payload: { up_to: string }) => reads.push(payload.up_to));
      socket.on('history', (payload: unknown, ack: (reply: unknown) => void) => ack({ messages: [], echo: payload }));
    });
    const c = client(server.url);
    c.socket.connect();
    const socket = await connected(server, c);
    expect(socket.conn.transport.name).toBe('polling');
    expect(socket.handshake.auth).toEqual({ visitor_token: 'tok-1' });

    const received: unknown[][] = [];
    c.socket.on('presence', (...args) => received.push(args));
    socket.emit('presence', { online: true });
    await vi.waitFor(() => expect(received).toEqual([[{ online: true }]]), WAIT);
    await expect(c.socket.timeout(2000).emitWithAck('history', { n: 1 })).resolves.toEqual({ messages: [], echo: { n: 1 } });

    const postsBefore = server.requests.POST;
    const sent = Array.from({ length: 50 }, (_, i) => `m-${i}`);
    for (const id of sent) c.socket.emit('read', { up_to: id });
    await vi.waitFor(() => expect(reads).toHaveLength(50), WAIT);
    expect(reads).toEqual(sent);
    // Packets written while a POST is in flight go together in the next one.
    expect(server.requests.POST - postsBefore).toBeLessThan(10);
  });

  it('falls back to long-polling on a page without WebSocket at all', async () => {
    const server = await startServer();
    const c = client(server.url);
    const saved = globalThis.WebSocket;
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
    try {
      c.socket.connect();
      const socket = await connected(server, c);
      expect(socket.conn.transport.name).toBe('polling');
    } finally {
      globalThis.WebSocket = saved;
    }
  });

  it('queues emits made before connecting and delivers them in order once connected', async () => {
    const server = await startServer();
    const got: unknown[] = [];
    server.visitor.on('connection', (socket) => {
      socket.on('read', (payload: unknown) => got.push(payload));
      socket.on('typing', (payload: unknown) => got.push(payload));
      socket.on('history', (payload: unknown, ack: (reply: unknown) => void) => (got.push(payload), ack({ messages: [] })));
    });
    const c = client(server.url);
    c.socket.emit('read', { up_to: 'm-1' });
    c.socket.emit('typing', { on: true });
    const reply = c.socket.timeout(5000).emitWithAck('history', { page: 2 });
    c.socket.emit('read', { up_to: 'm-2' });
    await sleep(100);
    expect(server.sockets).toHaveLength(0);

    c.socket.connect();
    await expect(reply).resolves.toEqual({ messages: [] });
    await vi.waitFor(() => expect(got).toEqual([{ up_to: 'm-1' }, { on: true }, { page: 2 }, { up_to: 'm-2' }]), WAIT);
  });

  it('rejects an acked emit with a timeout error when the server never replies', async () => {
    const server = await startServer();
    const asked: unknown[] = [];
    server.visitor.on('connection', (socket) => socket.on('history', (payload: unknown) => asked.push(payload)));
    const c = client(server.url);
    c.socket.connect();
    await connected(server, c);

    const started = Date.now();
    await expect(c.socket.timeout(300).emitWithAck('history', {})).rejects.toThrow('operation has timed out');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    expect(asked).toEqual([{}]);
    expect(c.socket.connected).toBe(true);
  });

  it('rejects an ack still pending when the connection drops with a disconnect error, well before its timeout', async () => {
    const server = await startServer();
    server.visitor.on('connection', (socket) => socket.on('history', () => socket.conn.close()));
    const c = client(server.url);
    c.socket.connect();
    await connected(server, c);

    const started = Date.now();
    await expect(c.socket.timeout(10_000).emitWithAck('history', {})).rejects.toThrow('socket has been disconnected');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(c.reasons).toEqual(['transport close']);
  });

  it("reports a middleware's refusal as connect_error and does not retry", async () => {
    const server = await startServer();
    let engineConnections = 0;
    let attempts = 0;
    server.io.engine.on('connection', () => engineConnections++);
    server.visitor.use((_socket, next) => (attempts++, next(new Error('nope'))));
    const c = client(server.url);
    c.socket.connect();
    await vi.waitFor(() => expect(c.errors).toHaveLength(1), WAIT);
    expect(c.errors[0]?.message).toBe('nope');
    expect(c.socket.active).toBe(false);
    expect(c.socket.connected).toBe(false);

    // The longest first backoff is 1.5 s.
    await sleep(2500);
    expect(attempts).toBe(1);
    expect(engineConnections).toBe(1);
    expect(c.seen).toEqual(['connect_error']);
  });

  it('disconnects when told to: the server sees a client namespace disconnect and no reconnection follows', async () => {
    const server = await startServer();
    const serverDisconnects: string[] = [];
    server.visitor.on('connection', (socket) => socket.on('disconnect', (reason: string) => serverDisconnects.push(reason)));
    const c = client(server.url);
    c.socket.connect();
    await connected(server, c);

    c.socket.disconnect();
    expect(c.socket.connected).toBe(false);
    expect(c.socket.active).toBe(false);
    expect(c.reasons).toEqual(['io client disconnect']);
    await vi.waitFor(() => expect(serverDisconnects).toEqual(['client namespace disconnect']), WAIT);

    await sleep(2000);
    expect(server.sockets).toHaveLength(1);
    expect(c.seen).toEqual(['connect', 'disconnect']);
  });

  describe.each([
    { transport: 'websocket', transports: ['websocket', 'polling'] },
    { transport: 'polling', transports: ['polling'] },
  ])('over $transport', ({ transport, transports }) => {
    it('reconnects by itself after the transport drops and, with state recovery, gets what was sent to its room meanwhile', async () => {
      const server = await startServer({ transports });
      const serverDisconnects: string[] = [];
      server.visitor.on('connection', (socket) => {
        if (!socket.recovered) socket.join('conversation:c-1');
        socket.on('disconnect', (reason: string) => serverDisconnects.push(reason));
      });
      const c = client(server.url);
      const received: unknown[][] = [];
      c.socket.on('message:status', (...args) => received.push(args));
      c.socket.connect();
      const first = await connected(server, c);
      expect(first.conn.transport.name).toBe(transport);
      expect(first.recovered).toBe(false);
      // One event first: its offset is what the client hands back to recover from.
      first.emit('message:status', { id: 'm-1', status: 'sent' });
      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);

      first.conn.close();
      await vi.waitFor(() => expect(c.seen).toEqual(['connect', 'disconnect']), WAIT);
      const droppedAt = Date.now();
      expect(c.reasons).toEqual(['transport close']);
      expect(c.socket.connected).toBe(false);
      expect(c.socket.active).toBe(true);
      await vi.waitFor(() => expect(serverDisconnects).toEqual(['forced close']), WAIT);
      server.visitor.to('conversation:c-1').emit('message:status', { id: 'm-1', status: 'delivered' });
      server.visitor.to('conversation:c-1').emit('message:status', { id: 'm-2', status: 'sent' });

      const second = await connected(server, c, 2);
      expect(Date.now() - droppedAt).toBeLessThan(4500);
      expect(second.recovered).toBe(true);
      expect(second.id).toBe(first.id);
      expect(c.seen).toEqual(['connect', 'disconnect', 'connect']);
      expect(c.socket.connected).toBe(true);
      await vi.waitFor(() => expect(received).toHaveLength(3), WAIT);
      expect(received).toEqual([[{ id: 'm-1', status: 'sent' }], [{ id: 'm-1', status: 'delivered' }], [{ id: 'm-2', status: 'sent' }]]);
    });

    it('answers pings, so the connection stays up across several ping cycles', async () => {
      const server = await startServer({ transports, pingInterval: 150, pingTimeout: 150 });
      let pongs = 0;
      const serverDisconnects: string[] = [];
      server.visitor.on('connection', (socket) => {
        socket.conn.on('packet', (packet) => packet.type === 'pong' && pongs++);
        socket.on('disconnect', (reason: string) => serverDisconnects.push(reason));
      });
      const c = client(server.url);
      c.socket.connect();
      const socket = await connected(server, c);
      expect(socket.conn.transport.name).toBe(transport);

      await sleep(1500);
      expect(pongs).toBeGreaterThanOrEqual(5);
      expect(serverDisconnects).toEqual([]);
      expect(c.seen).toEqual(['connect']);
      expect(c.socket.connected).toBe(true);
    });
  });
});
