/**
 * Limiters shared by every node (REDIS_URL): the same fixed windows as memoryLimiters, counted in
 * Redis by rate-limiter-flexible's RateLimiterRedis under `<REDIS_PREFIX>:limit:<name>:<key>`, so a
 * client that spreads its requests over several nodes gets no more than from one.
 *
 * When Redis does not answer — not connected, or no reply within `timeoutMs` — a limit must not
 * become a refusal nor an open door: each node counts in its own memory instead (each node then
 * allows up to the full budget: N nodes, N× for a while), says so once in the log, and asks
 * Redis again after `retryAfterMs`. Counts made meanwhile stay on the node; Redis's windows go on.
 * The same rule as the shared send budget (whatsapp/rate-gate-redis.ts).
 */
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { memoryLimiters, wrapLimiter, type Limiter, type LimiterFactory } from './limiter-factory.ts';

export interface RedisLimitersOptions {
  redis: Redis;
  /** REDIS_PREFIX: this install's namespace in a shared Redis. */
  prefix: string;
  logger: Logger;
  /** How long to wait for Redis before counting in memory (default 500 ms). */
  timeoutMs?: number;
  /** After a failure, how long to count in memory before asking Redis again (default 5 s). */
  retryAfterMs?: number;
  now?: () => number;
}

/** Whether to ask Redis, shared by all limiters of one factory (one outage, one log line). */
class SharedStore {
  private degradedUntil = 0;
  private degraded = false;

  private readonly clock: () => number;
  private readonly redis: RedisLimitersOptions['redis'];
  private readonly timeoutMs: RedisLimitersOptions['timeoutMs'];
  private readonly logger: RedisLimitersOptions['logger'];
  private readonly retryAfterMs: RedisLimitersOptions['retryAfterMs'];

  constructor({ redis, timeoutMs, logger, retryAfterMs, now }: RedisLimitersOptions) {
    this.clock = now ?? Date.now;
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.logger = logger;
    this.retryAfterMs = retryAfterMs;
  }

  private get now(): number {
    return this.clock();
  }

  async run<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.now < this.degradedUntil || this.redis.status !== 'ready') {
      this.enterDegraded('Redis is not connected');
      return local();
    }
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.timeoutMs ?? 500;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const value = await Promise.race([shared(), timeout]);
      if (this.degraded) {
        this.degraded = false;
        this.logger.info('rate limits are shared through Redis again');
      }
      return value;
    } catch (err) {
      this.degradedUntil = this.now + (this.retryAfterMs ?? 5_000);
      this.enterDegraded((err as Error).message);
      return local();
    } finally {
      clearTimeout(timer);
    }
  }

  private enterDegraded(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn({ reason }, 'shared rate limits unavailable; each node counts on its own until Redis answers');
  }
}

export function redisLimiters(o: RedisLimitersOptions): LimiterFactory {
  const store = new SharedStore(o);
  const local = memoryLimiters();
  return (spec) => {
    const shared = wrapLimiter(
      spec,
      new RateLimiterRedis({ storeClient: o.redis, keyPrefix: `${o.prefix}:limit:${spec.name}`, points: spec.points, duration: spec.windowSeconds }),
    );
    const fallback = local(spec);
    const run = <T>(op: (limiter: Limiter) => Promise<T>) =>
      store.run(
        () => op(shared),
        () => op(fallback),
      );
    return {
      spec,
      take: (key) => run((l) => l.take(key)),
      peek: (key) => run((l) => l.peek(key)),
      count: (key) => run((l) => l.count(key)),
      block: (key, seconds) => run((l) => l.block(key, seconds)),
      reset: (key) => run((l) => l.reset(key)),
    };
  };
}
