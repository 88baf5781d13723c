/**
 * The shared per-number rate gate against a real Redis: several nodes draw from one budget, each
 * number has its own, and the gate keeps sending (paced locally) while Redis is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.ts';
import { closeRedis, connectRedis, RedisUnavailableError, type Redis } from '../../server/src/redis.ts';
import type { RateGate } from '../../server/src/whatsapp/rate-gate.ts';
import { RedisRateGate } from '../../server/src/whatsapp/rate-gate-redis.ts';
import { freePort, startTcpProxy } from '../support/cluster.ts';
import { waitFor } from '../support/server.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ level: 'silent' });

class RecordingGate implements RateGate {
  readonly taken: string[] = [];
  async take(phoneNumberId: string): Promise<void> {
    this.taken.push(phoneNumberId);
  }
}

describe('RedisRateGate', () => {
  const clients: Redis[] = [];
  const prefix = `cd-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) clients.push(await connectRedis(REDIS_URL, logger));
  });

  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}:*`);
    if (keys.length) await clients[0]!.del(...keys);
    for (const c of clients) await closeRedis(c);
  });

  const gate = (redis: Redis, fallback: RateGate = new RecordingGate(), perSecond = 10, burst = 1) =>
    new RedisRateGate({ redis, perSecond, burst, fallback, logger, prefix });

  it('spaces reservations from several nodes as one budget: the k-th waits about k intervals', async () => {
    const nodes = clients.map((c) => gate(c));
    const started = Date.now();
    const waits = await Promise.all(Array.from({ length: 24 }, (_, i) => nodes[i % nodes.length]!.reserve('100000000000001')));
    const elapsed = Date.now() - started;
    const sorted = [...waits].sort((a, b) => a - b);
    // Each slot is 100 ms after the previous one; Redis time moves on by at most `elapsed` meanwhile.
    sorted.forEach((w, k) => {
      expect(w).toBeLessThanOrEqual(k * 100 + 1);
      expect(w).toBeGreaterThanOrEqual(k * 100 - elapsed - 1);
    });
    expect(new Set(sorted.map((w) => Math.round(w))).size).toBe(sorted.length);
  });

  it('lets a burst through at once and keeps a separate budget per number', async () => {
    const g = gate(clients[0]!, new RecordingGate(), 5, 3);
    const a = [await g.reserve('a'), await g.reserve('a'), await g.reserve('a'), await g.reserve('a')];
    expect(a.slice(0, 3)).toEqual([0, 0, 0]);
    expect(a[3]).toBeGreaterThan(100);
    expect(await g.reserve('b')).toBe(0);
  });

  it('take() sleeps for the shared wait and never touches the fallback while Redis answers', async () => {
    const fallback = new RecordingGate();
    const slept: number[] = [];
    const g = new RedisRateGate({ redis: clients[1]!, perSecond: 2, burst: 1, fallback, logger, prefix, sleep: async (ms) => void slept.push(ms) });
    await g.take('sleepy');
    await g.take('sleepy');
    expect(fallback.taken).toEqual([]);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(400);
    expect(slept[0]).toBeLessThanOrEqual(500);
  });

  it('paces locally while Redis is down or silent, and returns to the shared budget when it is back', async () => {
    const proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
    const redis = await connectRedis(`redis://127.0.0.1:${proxy.port}`, logger);
    const fallback = new RecordingGate();
    let now = 1_000;
    const g = new RedisRateGate({ redis, perSecond: 1000, fallback, logger, prefix, timeoutMs: 200, retryAfterMs: 5_000, now: () => now });
    try {
      await g.take('n1');
      expect(fallback.taken).toEqual([]);

      proxy.cut(); // connection refused: the client is reconnecting
      await waitFor(() => redis.status !== 'ready', { message: 'client to notice the outage' });
      await g.take('n1');
      expect(fallback.taken).toEqual(['n1']);

      proxy.restore();
      await waitFor(() => redis.status === 'ready', { timeout: 15_000, message: 'client to reconnect' });
      await g.take('n1');
      expect(fallback.taken).toEqual(['n1']);

      proxy.blackhole(); // connected but silent: the gate gives up after timeoutMs
      await g.take('n1');
      expect(fallback.taken).toEqual(['n1', 'n1']);
      proxy.restore();
      await waitFor(() => redis.status === 'ready', { timeout: 15_000, message: 'client to reconnect' });
      await g.take('n1'); // still within retryAfterMs: local pacing without asking Redis
      expect(fallback.taken).toEqual(['n1', 'n1', 'n1']);
      now += 5_001;
      await g.take('n1');
      expect(fallback.taken).toHaveLength(3);
    } finally {
      redis.disconnect();
      await proxy.close();
    }
  });

  it('fails the start fast with a clear error when Redis is not there', async () => {
    const port = await freePort();
    await expect(connectRedis(`redis://127.0.0.1:${port}`, logger, { connectTimeoutMs: 2_000 })).rejects.toBeInstanceOf(RedisUnavailableError);
  });
});
