/**
 * The owner pair budget shared through a real Redis: several nodes spend one budget (not one
 * each), `keep` holds messages back, a 131056 empties it for every node, and while Redis is
 * unreachable each node falls back on its own budget.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.ts';
import { closeRedis, connectRedis, type Redis } from '../../server/src/redis.ts';
import { MemoryPairBudget } from '../../server/src/whatsapp/pair-budget.ts';
import { RedisPairBudget } from '../../server/src/whatsapp/pair-budget-redis.ts';
import { startTcpProxy } from '../support/cluster.ts';
import { waitFor } from '../support/server.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ level: 'silent' });

describe('RedisPairBudget', () => {
  const clients: Redis[] = [];
  const prefix = `cd-test-${randomBytes(4).toString('hex')}`;
  let pair = 0;
  const key = () => ({ phoneNumberId: '100000000000001', waId: `1555010${String(pair++).padStart(4, '0')}` });

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) clients.push(await connectRedis(REDIS_URL, logger));
  });

  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}:*`);
    if (keys.length) await clients[0]!.del(...keys);
    for (const c of clients) await closeRedis(c);
  });

  const budget = (redis: Redis, burst = 5, intervalMs = 60_000) =>
    new RedisPairBudget({ redis, burst, intervalMs, fallback: new MemoryPairBudget({ burst, intervalMs }), logger, prefix });

  it('three nodes together get one burst, not three', async () => {
    const nodes = clients.map((c) => budget(c));
    const k = key();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => nodes[i % 3]!.take(k, 0)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const refused = results.find((r) => !r.ok) as { ok: false; retryAt: number };
    expect(refused.retryAt - Date.now()).toBeGreaterThan(50_000);
    expect(refused.retryAt - Date.now()).toBeLessThanOrEqual(60_000);
    expect(await nodes[1]!.peek(k)).toMatchObject({ tokens: 0 });
    expect((await nodes[2]!.take(key(), 0)).ok).toBe(true); // another owner: a budget of its own
  });

  it('keep holds messages back; peek counts what is left on every node', async () => {
    const [a, b] = clients.map((c) => budget(c));
    const k = key();
    for (let i = 0; i < 3; i++) expect((await a!.take(k, 2)).ok).toBe(true);
    expect((await b!.take(k, 2)).ok).toBe(false);
    expect((await b!.peek(k)).tokens).toBe(2);
    expect((await b!.take(k, 0)).ok).toBe(true);
    expect((await a!.peek(k)).tokens).toBe(1);
  });

  it('exhaust on one node empties the budget for all, refilling one interval later', async () => {
    const [a, b] = clients.map((c) => budget(c, 10, 400));
    const k = key();
    await a!.exhaust(k);
    const view = await b!.peek(k);
    expect(view.tokens).toBe(0);
    expect(view.nextAt - Date.now()).toBeGreaterThan(200);
    expect((await b!.take(k, 0)).ok).toBe(false);
    await waitFor(async () => (await b!.take(k, 0)).ok, { timeout: 3_000, message: 'the budget to refill' });
  });

  it('spends the node’s own budget while Redis is unreachable, and the shared one once it is back', async () => {
    const proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
    const redis = await connectRedis(`redis://127.0.0.1:${proxy.port}`, logger);
    const fallback = new MemoryPairBudget({ burst: 2, intervalMs: 60_000 });
    let now = Date.now();
    const b = new RedisPairBudget({ redis, burst: 2, intervalMs: 60_000, fallback, logger, prefix, timeoutMs: 200, retryAfterMs: 5_000, now: () => now });
    const k = key();
    try {
      expect((await b.take(k, 0)).ok).toBe(true);
      proxy.cut();
      await waitFor(() => redis.status !== 'ready', { message: 'client to notice the outage' });
      expect((await b.take(k, 0)).ok).toBe(true); // the fallback's first
      expect((await b.take(k, 0)).ok).toBe(true); // and second
      expect((await b.take(k, 0)).ok).toBe(false);
      proxy.restore();
      await waitFor(() => redis.status === 'ready', { timeout: 15_000, message: 'client to reconnect' });
      now += 5_001;
      // Redis remembers one spent, so one is left there.
      expect((await b.take(k, 0)).ok).toBe(true);
      expect((await b.take(k, 0)).ok).toBe(false);
    } finally {
      redis.disconnect();
      await proxy.close();
    }
  });
});
