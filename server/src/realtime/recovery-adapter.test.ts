import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { io as ioClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIo, createRealtimeHttpServer } from './io.ts';
import { RecoveryAdapter } from './recovery-adapter.ts';
import { RememberingEncoder } from './remembering-encoder.ts';

const WAIT = { timeout: 5_000, interval: 20 };

describe('RecoveryAdapter with real sockets', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it.each(['websocket', 'polling'] as const)(
    'over %s, a client whose connection dropped gets back what was sent to its rooms meanwhile, and nothing else',
    async (transport) => {
      const io = createIo();
      const server: http.Server = createRealtimeHttpServer(io, (_req, res) => res.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const nsp = io.of('/t');
      const serverSockets: { id: string; recovered: boolean; conn: { close(): void }; once(event: 'disconnect', fn: () => void): void }[] = [];
      nsp.on('connection', (socket) => {
        if (!socket.recovered) void socket.join('conversation:1');
        serverSockets.push(socket);
      });
      // A fixed 300 ms before reconnecting: the server sends its events while the client is surely away.
      const client: ClientSocket = ioClient(`${url}/t`, {
        transports: [transport],
        forceNew: true,
        reconnectionDelay: 300,
        reconnectionDelayMax: 300,
        randomizationFactor: 0,
      });
      close = async () => {
        client.close();
        await io.close();
      };
      const got: unknown[] = [];
      client.on('note', (n: unknown) => got.push(n));
      await vi.waitFor(() => expect(serverSockets).toHaveLength(1), WAIT);
      nsp.to('conversation:1').emit('note', 1);
      await vi.waitFor(() => expect(got).toEqual([1]), WAIT);

      const first = serverSockets[0]!;
      const gone = new Promise<void>((resolve) => first.once('disconnect', resolve));
      first.conn.close();
      await gone;
      nsp.to('conversation:1').emit('note', 2);
      nsp.to('conversation:2').emit('note', 'other room');
      nsp.to('conversation:1').except(first.id).emit('note', 'excluded');
      nsp.emit('note', 3);
      nsp.to('conversation:1').emit('note', { text: 'café ✓ 👋' });

      await vi.waitFor(() => expect(serverSockets).toHaveLength(2), WAIT);
      expect(serverSockets[1]).toMatchObject({ id: first.id, recovered: true });
      nsp.to('conversation:1').emit('note', 4);
      await vi.waitFor(() => expect(got).toEqual([1, 2, 3, { text: 'café ✓ 👋' }, 4]), WAIT);
    },
  );
});

// With the server's encoder (what is kept is what was sent), and with a parser that cannot keep an encoding.
describe.each([
  ['the remembering encoder', () => new RememberingEncoder()],
  ['another encoder', () => ({ encode: () => [] })],
])('RecoveryAdapter, with %s', (_name, encoder) => {
  afterEach(() => vi.useRealTimers());

  const adapterFor = (maxDisconnectionDuration: number) =>
    new RecoveryAdapter({ name: '/t', server: { opts: { connectionStateRecovery: { maxDisconnectionDuration } }, encoder: encoder() } } as never);

  /** Broadcasts an event as socket.io does and returns the offset the client would see last. */
  const emit = (a: RecoveryAdapter, rooms: string[], arg: unknown, except: string[] = []): string => {
    const packet = { type: 2, data: ['note', arg] as unknown[] }; // as socket.io's BroadcastOperator builds it: no nsp yet
    a.broadcast(packet, { rooms: new Set(rooms), except: new Set(except) });
    return packet.data.at(-1) as string;
  };
  const session = { sid: 's1', pid: 'p1', rooms: ['s1', 'conversation:1'], data: { contact: 'c-1' } };

  it('replays, in order, the events after the offset that reached the session’s rooms, with their offsets', async () => {
    const a = adapterFor(60_000);
    const seen = emit(a, ['conversation:1'], 'a');
    a.persistSession(session);
    emit(a, ['conversation:1'], { text: 'b, café ✓ 👋', at: null });
    emit(a, ['conversation:2'], 'not mine');
    emit(a, ['conversation:1'], 'not for s1', ['s1']);
    const last = emit(a, [], 'everyone');
    const restored = await a.restoreSession('p1', seen);
    expect(restored).toMatchObject({ sid: 's1', pid: 'p1', rooms: session.rooms, data: session.data });
    expect(restored.missedPackets.map((p) => p.slice(0, 2))).toEqual([
      ['note', { text: 'b, café ✓ 👋', at: null }],
      ['note', 'everyone'],
    ]);
    expect(restored.missedPackets.at(-1)!.at(-1)).toBe(last);
    expect('disconnectedAt' in restored).toBe(false);
  });

  it('does not keep acknowledged or volatile events', () => {
    const a = adapterFor(60_000);
    a.broadcast({ type: 2, id: 7, data: ['x'] } as never, { rooms: new Set() });
    a.broadcast({ type: 2, data: ['x'] } as never, { rooms: new Set(), flags: { volatile: true } });
    expect(a.keptPackets).toBe(0);
  });

  it('recovers nothing for an unknown session, an offset from another process, or one it no longer keeps', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const a = adapterFor(1_000);
    const old = emit(a, ['conversation:1'], 'old');
    a.persistSession(session);
    expect(await a.restoreSession('nobody', old)).toBeNull();
    expect(await a.restoreSession('p1', old.replace(/^[^.]+/, 'other'))).toBeNull();
    expect(await a.restoreSession('p1', 'garbage')).toBeNull();
    vi.setSystemTime(Date.now() + 600);
    a.persistSession(session); // disconnected again, later
    vi.setSystemTime(Date.now() + 600);
    emit(a, ['conversation:1'], 'new'); // the first packet is now older than a second: let go
    expect(a.keptPackets).toBe(1);
    expect(await a.restoreSession('p1', old)).toBeNull();
  });

  it('forgets a session disconnected for longer than the recovery window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const a = adapterFor(1_000);
    const seen = emit(a, ['conversation:1'], 'a');
    a.persistSession(session);
    vi.setSystemTime(Date.now() + 1_001);
    expect(await a.restoreSession('p1', seen)).toBeNull();
  });

  it('keeps a steady amount under a steady stream: expired packets leave as new ones arrive', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const a = adapterFor(1_000);
    for (let i = 0; i < 10_000; i++) {
      emit(a, ['conversation:1'], i);
      vi.setSystemTime(Date.now() + 1);
    }
    expect(a.keptPackets).toBeGreaterThanOrEqual(1_000);
    expect(a.keptPackets).toBeLessThanOrEqual(1_001);
  });
});
