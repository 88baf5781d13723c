/**
 * The Redis limiter factory against a real Redis: several nodes (clients) count together under one
 * REDIS_PREFIX and apart under another; every operation the limits use (take, peek, count, block,
 * reset) works on the shared store; and while Redis is unreachable or silent each node counts in
 * its own memory — answering within the timeout, saying so once — and shares again once it is back.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LimiterFactory } from '../../server/src/limits/limiter-factory.ts';
import { redisLimiters } from '../../server/src/limits/redis-limiters.ts';
import { createLogger, type Logger } from '../../server/src/logger.ts';
import { closeRedis, connectRedis, type Redis } from '../../server/src/redis.ts';
import { startTcpProxy } from '../support/cluster.ts';
import { waitFor } from '../support/server.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = createLogger({ level: 'silent' });

function recordingLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), messages };
}

describe('redisLimiters', () => {
  const clients: Redis[] = [];
  const prefix = `cd-test-${randomBytes(4).toString('hex')}`;
  const spec = (name: string, points = 3) => ({ name: `${name}-${randomBytes(3).toString('hex')}`, points, windowSeconds: 60 });

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) clients.push(await connectRedis(REDIS_URL, silent));
  });

  afterAll(async () => {
    const keys = await clients[0]!.keys(`cd-test-*`);
    if (keys.length) await clients[0]!.del(...keys);
    for (const c of clients) await closeRedis(c);
  });

  const nodes = (p = prefix): LimiterFactory[] => clients.map((redis) => redisLimiters({ redis, prefix: p, logger: silent }));

  it('counts the hits of every node in one window per key, under this prefix only', async () => {
    const [one, two] = nodes();
    const s = spec('shared');
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await (i % 2 ? two! : one!)(s).take('1.2.3.4'));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false, false]);
    expect(verdicts.map((v) => v.consumed)).toEqual([1, 2, 3, 4, 5]);
    expect(verdicts[3]!.retryAfterSeconds).toBeGreaterThan(50);
    // Another key, or another install sharing the Redis, has its own budget.
    expect((await one!(s).take('5.6.7.8')).allowed).toBe(true);
    const [elsewhere] = nodes(`${prefix}-other`);
    expect((await elsewhere!(s).take('1.2.3.4')).allowed).toBe(true);
    expect(await clients[0]!.exists(`${prefix}:limit:${s.name}:1.2.3.4`)).toBe(1);
  });

  it('peek, count, block and reset act on the shared count', async () => {
    const [one, two] = nodes();
    const s = spec('ops', 1);
    expect(await one!(s).peek('k')).toBeNull();
    expect(await one!(s).count('k')).toBe(1);
    expect(await two!(s).count('k')).toBe(2);
    expect(await two!(s).peek('k')).toMatchObject({ consumed: 2 });
    await one!(s).reset('k');
    expect(await two!(s).peek('k')).toBeNull();
    await two!(s).block('k', 600);
    const blocked = await one!(s).peek('k');
    expect(blocked!.retryAfterSeconds).toBeGreaterThan(550);
    expect((await one!(s).take('k')).allowed).toBe(false);
  });

  it('counts in memory while Redis is down or silent, says so once, and shares again when it is back', async () => {
    const proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
    const redis = await connectRedis(`redis://127.0.0.1:${proxy.port}`, silent);
    const { logger, messages } = recordingLogger();
    let now = 1_000_000;
    const s = spec('outage', 2);
    const limiter = redisLimiters({ redis, prefix, logger, timeoutMs: 200, retryAfterMs: 5_000, now: () => now })(s);
    const shared = () => clients[0]!.get(`${prefix}:limit:${s.name}:k`);
    try {
      expect((await limiter.take('k')).consumed).toBe(1);
      expect(await shared()).toBe('1');

      proxy.cut(); // refused: the client is reconnecting
      await waitFor(() => redis.status !== 'ready', { message: 'the client to notice the outage' });
      // The node's own count starts afresh: it cannot know Redis's, and must not refuse for it.
      expect((await limiter.take('k')).consumed).toBe(1);
      expect((await limiter.take('k')).consumed).toBe(2);
      expect((await limiter.take('k')).allowed).toBe(false);
      expect(messages.filter((m) => m.startsWith('shared rate limits unavailable'))).toHaveLength(1);

      proxy.restore();
      await waitFor(() => redis.status === 'ready', { timeout: 15_000, message: 'the client to reconnect' });
      expect((await limiter.take('k')).consumed).toBe(2); // Redis's window went on
      expect(messages).toContain('rate limits are shared through Redis again');

      proxy.blackhole(); // connected, but no answer: the timeout decides
      const started = Date.now();
      const verdict = await limiter.take('k');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(verdict.consumed).toBe(4); // the memory count of the outage goes on
      // Within retryAfterMs Redis is not asked at all, even once it answers again.
      proxy.restore();
      await waitFor(() => redis.status === 'ready', { timeout: 15_000, message: 'the client to reconnect' });
      expect((await limiter.take('k')).consumed).toBe(5);
      now += 5_001;
      // Redis's count again: 2 before the silence, this hit, and the hit that timed out if the
      // client sent it again on reconnecting (ioredis resends what was never answered).
      const back = await limiter.take('k');
      expect(back.consumed).toBeGreaterThanOrEqual(3);
      expect(await shared()).toBe(String(back.consumed));
    } finally {
      redis.disconnect();
      await proxy.close();
    }
  });
});
