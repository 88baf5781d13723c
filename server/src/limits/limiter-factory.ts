/**
 * Rate limiters behind one small factory, so the backend is chosen once in main.ts and every
 * limit (visitor traffic, socket connections, sign-in) gets its limiters from it: in memory (one
 * process, the default) here; in Redis, shared by every node, with REDIS_URL (redis-limiters.ts).
 * Fixed windows from rate-limiter-flexible: a key gets `points` per window, and a
 * refused key is free again when its window ends (limits slow a client down; nothing is banned).
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimitSpec {
  /** Unique per limiter: the key prefix in a shared store. */
  name: string;
  /** Hits allowed per key per window. */
  points: number;
  windowSeconds: number;
}

interface LimitVerdict {
  allowed: boolean;
  /** Hits this key has made in the current window, this one included. */
  consumed: number;
  /** When the window ends (at least 1 s). */
  retryAfterSeconds: number;
}

/** Where a key stands in its window. */
interface LimitStanding {
  /** Hits this window. */
  consumed: number;
  /** When the window (or a block) ends (at least 1 s). */
  retryAfterSeconds: number;
}

export interface Limiter {
  readonly spec: LimitSpec;
  /** Counts one hit for `key` and says whether it is within the limit. */
  take(key: string): Promise<LimitVerdict>;
  /** Where `key` stands, without counting a hit; null when it has no hits this window. */
  peek(key: string): Promise<LimitStanding | null>;
  /** Counts one hit that is never refused (failures to remember); returns the hits this window. */
  count(key: string): Promise<number>;
  /** Spends `key`'s whole budget for `seconds`, however long its window is (a delay). */
  block(key: string, seconds: number): Promise<void>;
  /** Forgets `key`. */
  reset(key: string): Promise<void>;
}

export type LimiterFactory = (spec: LimitSpec) => Limiter;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

const verdict = (res: RateLimiterRes, allowed: boolean): LimitVerdict => ({
  allowed,
  consumed: res.consumedPoints,
  retryAfterSeconds: seconds(res.msBeforeNext),
});

/** Wraps any rate-limiter-flexible limiter: a refusal is a verdict, a store failure is thrown. */
export function wrapLimiter(spec: LimitSpec, limiter: RateLimiterAbstract): Limiter {
  return {
    spec,
    async take(key) {
      try {
        return verdict(await limiter.consume(key, 1), true);
      } catch (res) {
        if (res instanceof RateLimiterRes) return verdict(res, false);
        throw res;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (!res || res.msBeforeNext <= 0) return null;
      return { consumed: res.consumedPoints, retryAfterSeconds: seconds(res.msBeforeNext) };
    },
    async count(key) {
      return (await limiter.penalty(key, 1)).consumedPoints;
    },
    async block(key, blockSeconds) {
      await limiter.block(key, blockSeconds);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

/** Limiters held in this process's memory. */
export function memoryLimiters(): LimiterFactory {
  return (spec) => wrapLimiter(spec, new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.windowSeconds }));
}
