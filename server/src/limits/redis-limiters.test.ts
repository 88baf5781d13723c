import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { redisLimiters } from './redis-limiters.ts';

describe('redisLimiters without a connected Redis', () => {
  const clients: Redis[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  it('limits in this process’s memory instead of refusing or letting everything through', async () => {
    // Never connected: what a node sees while Redis is away (ioredis reconnecting).
    const redis = new Redis('redis://127.0.0.1:9', { lazyConnect: true });
    clients.push(redis);
    const limiter = redisLimiters({ redis, prefix: 'unit', logger: createLogger({ level: 'silent' }) })({ name: 'n', points: 2, windowSeconds: 60 });
    const verdicts = [await limiter.take('a'), await limiter.take('a'), await limiter.take('a')];
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false]);
    expect((await limiter.take('b')).allowed).toBe(true);
    await limiter.block('c', 120);
    expect((await limiter.peek('c'))!.retryAfterSeconds).toBeGreaterThan(100);
    await limiter.reset('c');
    expect(await limiter.peek('c')).toBeNull();
    expect(redis.status).toBe('wait');
  });
});
