/**
 * The per-number throughput budget shared by every node (REDIS_URL): the same GCRA token bucket
 * as TokenBucketRateGate, but the "next call due" time of each number lives in Redis and is
 * reserved by one Lua script, so N nodes together stay within Meta's rate instead of N times it.
 * Redis's own clock is used, so nodes with skewed clocks still agree.
 *
 * When Redis does not answer, sending must not stop: the gate falls back to an in-process bucket
 * (each node then paces itself; Meta's 130429 answer and the outbox's backoff cover the rest) and
 * asks Redis again after a short pause.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { defaultBurst, type RateGate } from './rate-gate.ts';

/** KEYS[1] the number's key; ARGV interval ms, tolerance ms, → wait ms (string, 3 decimals). */
const GCRA_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now) + 1000)
return string.format('%.3f', wait)
`;
const GCRA_SHA = createHash('sha1').update(GCRA_LUA).digest('hex');

export interface RedisRateGateOptions {
  redis: Redis;
  /** Sustained rate per number, for the whole cluster. */
  perSecond: number;
  /** How many may go at once after a quiet spell (defaults to a quarter second's worth: see defaultBurst). */
  burst?: number;
  /** Used while Redis is unreachable. */
  fallback: RateGate;
  logger: Logger;
  /** Key namespace, so several installs can share one Redis. */
  prefix?: string;
  /** How long to wait for Redis before using the fallback. */
  timeoutMs?: number;
  /** After a failure, how long to use the fallback before asking Redis again. */
  retryAfterMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RedisRateGate implements RateGate {
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private degradedUntil = 0;

  private readonly redis: RedisRateGateOptions['redis'];
  private readonly fallback: RedisRateGateOptions['fallback'];
  private readonly timeoutMs: RedisRateGateOptions['timeoutMs'];
  private readonly retryAfterMs: RedisRateGateOptions['retryAfterMs'];
  private readonly logger: RedisRateGateOptions['logger'];

  constructor(options: RedisRateGateOptions) {
    this.redis = options.redis;
    this.fallback = options.fallback;
    this.timeoutMs = options.timeoutMs;
    this.retryAfterMs = options.retryAfterMs;
    this.logger = options.logger;
    if (!(options.perSecond > 0)) throw new Error('perSecond must be positive');
    this.interval = 1000 / options.perSecond;
    const burst = Math.max(1, Math.floor(options.burst ?? defaultBurst(options.perSecond)));
    this.tolerance = this.interval * (burst - 1);
    this.prefix = `${options.prefix ?? 'connectdesk'}:rate:`;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Reserve the next slot of this number in Redis; resolves with how long the caller must wait. */
  async reserve(phoneNumberId: string): Promise<number> {
    const key = this.prefix + phoneNumberId;
    const args = [String(this.interval), String(this.tolerance)];
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(GCRA_SHA, 1, key, ...args);
    } catch (err) {
      if (!/NOSCRIPT/.test((err as Error).message)) throw err;
      reply = await this.redis.eval(GCRA_LUA, 1, key, ...args);
    }
    const wait = Number(reply);
    if (!Number.isFinite(wait) || wait < 0) throw new Error(`unexpected rate gate reply: ${String(reply)}`);
    return wait;
  }

  async take(phoneNumberId: string): Promise<void> {
    const wait = await this.sharedWait(phoneNumberId);
    if (wait === null) return this.fallback.take(phoneNumberId);
    if (wait > 0) await this.sleep(wait);
  }

  /** The wait Redis reserved for us, or null when Redis is unavailable (use the fallback). */
  private async sharedWait(phoneNumberId: string): Promise<number | null> {
    if (this.now() < this.degradedUntil || this.redis.status !== 'ready') return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer in time')), this.timeoutMs ?? 1_000);
    });
    try {
      return await Promise.race([this.reserve(phoneNumberId), timeout]);
    } catch (err) {
      this.degradedUntil = this.now() + (this.retryAfterMs ?? 5_000);
      this.logger.warn({ err: (err as Error).message }, 'shared rate gate unavailable; pacing sends on this node alone for now');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
