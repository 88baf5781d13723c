/**
 * socket.io across nodes through the Redis adapter: rooms and the hub's pushes reach a socket on
 * another node, visitorOnline() (fetchSockets) sees it, and a client that loses its node resumes
 * its session on another one with the packets it missed (connection-state recovery).
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.ts';
import { createHub, visitorRoom, type RealtimeHub } from '../../server/src/realtime/hub.ts';
import { createIo, createRealtimeHttpServer } from '../../server/src/realtime/io.ts';
import { createRedisAdapter } from '../../server/src/realtime/redis-adapter.ts';
import { closeRedis, connectRedis, type Redis } from '../../server/src/redis.ts';
import { startTcpProxy, type TcpProxy } from '../support/cluster.ts';
import { nextEvent, waitFor } from '../support/server.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ level: 'silent' });

interface Node {
  io: ReturnType<typeof createIo>;
  hub: RealtimeHub;
  port: number;
  close(): Promise<void>;
}

/** A bare realtime node: createIo with the Redis adapter, and a /visitor namespace that puts each
 * socket in the room of the contact named in its handshake (as the real namespace does). */
async function startNode(prefix: string): Promise<Node> {
  const redis: Redis = await connectRedis(REDIS_URL, logger);
  const io = createIo({ adapter: createRedisAdapter(redis, { prefix }) });
  const server = createRealtimeHttpServer(io, (_req, res) => res.writeHead(404).end());
  io.of('/visitor').on('connection', (socket) => {
    if (!socket.recovered) void socket.join(visitorRoom(String(socket.handshake.auth.contact)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    io,
    hub: createHub(io),
    port: (server.address() as AddressInfo).port,
    async close() {
      io.disconnectSockets(true);
      await io.close();
      await closeRedis(redis);
    },
  };
}

describe('realtime across nodes (Redis streams adapter)', () => {
  const prefix = `cd-test-${randomBytes(4).toString('hex')}`;
  let a: Node;
  let b: Node;
  let proxy: TcpProxy;
  const clients: Socket[] = [];

  beforeAll(async () => {
    a = await startNode(prefix);
    b = await startNode(prefix);
    proxy = await startTcpProxy(a.port);
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await proxy?.close();
    await a?.close();
    await b?.close();
    const redis = await connectRedis(REDIS_URL, logger);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await closeRedis(redis);
  });

  async function connect(port: number, contact: string, reconnection = false): Promise<Socket> {
    const s = ioClient(`http://127.0.0.1:${port}/visitor`, {
      transports: ['websocket'],
      auth: { contact },
      reconnection,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      forceNew: true,
    });
    clients.push(s);
    await nextEvent(s, 'connect');
    return s;
  }

  it('a push from node B reaches a visitor connected to node A, and B sees that visitor online', async () => {
    const contact = `c-${randomBytes(4).toString('hex')}`;
    expect(await b.hub.visitorOnline(contact)).toBe(false);
    const visitor = await connect(a.port, contact);
    await waitFor(() => b.hub.visitorOnline(contact), { message: 'node B to see the visitor on node A' });
    expect(await a.hub.visitorOnline(contact)).toBe(true);

    const got = nextEvent(visitor, 'typing');
    b.hub.toVisitor(contact, 'typing', { on: true });
    expect(await got).toEqual({ on: true });

    visitor.disconnect();
    await waitFor(async () => !(await b.hub.visitorOnline(contact)), { message: 'node B to see the visitor leave' });
  });

  it('a visitor whose node goes away resumes on the other node with the packets it missed', async () => {
    const contact = `c-${randomBytes(4).toString('hex')}`;
    const visitor = await connect(proxy.port, contact, true);
    // Connection-state recovery needs one packet with an offset before the cut.
    const first = nextEvent(visitor, 'typing');
    b.hub.toVisitor(contact, 'typing', { on: true });
    await first;

    const disconnected = nextEvent(visitor, 'disconnect');
    proxy.cut();
    await disconnected;
    await waitFor(async () => !(await b.hub.visitorOnline(contact)), { message: 'the cut visitor to be gone' });
    // Sent while the visitor is between nodes: only the stream (and recovery) can deliver it.
    a.hub.toVisitor(contact, 'typing', { on: false });

    const missed = nextEvent(visitor, 'typing');
    const reconnected = nextEvent(visitor, 'connect');
    proxy.setTarget(b.port);
    proxy.restore();
    await reconnected;
    expect(visitor.recovered).toBe(true);
    expect(await missed).toEqual({ on: false });
    await waitFor(() => a.hub.visitorOnline(contact), { message: 'node A to see the visitor now on node B' });
  });
});
