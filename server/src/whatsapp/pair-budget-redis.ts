/**
 * The owner pair budget shared by every node (REDIS_URL): the same GCRA arithmetic as
 * MemoryPairBudget, with each pair's `tat` in Redis, read and changed by one Lua script on Redis's
 * own clock — so N nodes together spend one budget, not N. While Redis does not answer, the
 * in-process budget stands in (each node then paces itself, and 131056 corrects the rest), and
 * Redis is asked again after a short pause.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { pairKeyString, type PairBudget, type PairBudgetView, type PairKey, type TakeResult } from './pair-budget.ts';

/**
 * KEYS[1] the pair; ARGV interval ms, burst, op (take|peek|exhaust), keep.
 * → { ok (1|0), tokens, ms until the next token (peek) or until a take may succeed (take) }.
 */
const PAIR_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local op = ARGV[3]
local keep = tonumber(ARGV[4])
local tolerance = interval * (burst - 1)
local tat = tonumber(redis.call('GET', KEYS[1]))
local due = now
if tat ~= nil and tat > now then due = tat end
local function save(v)
  redis.call('SET', KEYS[1], string.format('%d', v), 'PX', math.ceil(v - now) + interval)
end
if op == 'exhaust' then
  local v = now + tolerance + interval
  if tat ~= nil and tat > v then v = tat end
  save(v)
  return {1, 0, interval}
end
if op == 'take' then
  local from = due - tolerance + keep * interval
  if from > now then return {0, 0, from - now} end
  save(due + interval)
  return {1, 0, 0}
end
local slack = tolerance - (due - now)
if slack < 0 then return {1, 0, due - tolerance - now} end
local tokens = math.floor(slack / interval) + 1
if tokens >= burst then return {1, burst, 0} end
return {1, tokens, due - tolerance + tokens * interval - now}
`;
const PAIR_SHA = createHash('sha1').update(PAIR_LUA).digest('hex');

export interface RedisPairBudgetOptions {
  redis: Redis;
  burst: number;
  intervalMs: number;
  /** Used while Redis is unreachable. */
  fallback: PairBudget;
  logger: Logger;
  prefix?: string;
  timeoutMs?: number;
  retryAfterMs?: number;
  now?: () => number;
}

export class RedisPairBudget implements PairBudget {
  readonly burst: number;
  readonly intervalMs: number;
  private readonly prefix: string;
  private readonly now: () => number;
  private degradedUntil = 0;

  private readonly redis: RedisPairBudgetOptions['redis'];
  private readonly timeoutMs: RedisPairBudgetOptions['timeoutMs'];
  private readonly retryAfterMs: RedisPairBudgetOptions['retryAfterMs'];
  private readonly logger: RedisPairBudgetOptions['logger'];
  private readonly fallback: RedisPairBudgetOptions['fallback'];

  constructor(options: RedisPairBudgetOptions) {
    this.redis = options.redis;
    this.timeoutMs = options.timeoutMs;
    this.retryAfterMs = options.retryAfterMs;
    this.logger = options.logger;
    this.fallback = options.fallback;
    this.burst = Math.max(1, Math.floor(options.burst));
    this.intervalMs = options.intervalMs;
    this.prefix = `${options.prefix ?? 'connectdesk'}:pair:`;
    this.now = options.now ?? Date.now;
  }

  /** Runs the script; null when Redis is unavailable (the caller uses the fallback). */
  private async run(key: PairKey, op: 'take' | 'peek' | 'exhaust', keep = 0): Promise<[number, number, number] | null> {
    if (this.now() < this.degradedUntil || this.redis.status !== 'ready') return null;
    const args = [String(this.intervalMs), String(this.burst), op, String(Math.max(0, Math.floor(keep)))];
    const k = this.prefix + pairKeyString(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer in time')), this.timeoutMs ?? 1_000);
    });
    const call = async (): Promise<unknown> => {
      try {
        return await this.redis.evalsha(PAIR_SHA, 1, k, ...args);
      } catch (err) {
        if (!/NOSCRIPT/.test((err as Error).message)) throw err;
        return this.redis.eval(PAIR_LUA, 1, k, ...args);
      }
    };
    try {
      const reply = await Promise.race([call(), timeout]);
      if (!Array.isArray(reply) || reply.length !== 3) throw new Error(`unexpected pair budget reply: ${JSON.stringify(reply)}`);
      return reply.map(Number) as [number, number, number];
    } catch (err) {
      this.degradedUntil = this.now() + (this.retryAfterMs ?? 5_000);
      this.logger.warn({ err: (err as Error).message }, 'shared owner pair budget unavailable; this node keeps its own for now');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  async take(key: PairKey, keep: number): Promise<TakeResult> {
    const r = await this.run(key, 'take', keep);
    if (!r) return this.fallback.take(key, keep);
    return r[0] === 1 ? { ok: true } : { ok: false, retryAt: this.now() + r[2] };
  }

  async peek(key: PairKey): Promise<PairBudgetView> {
    const r = await this.run(key, 'peek');
    if (!r) return this.fallback.peek(key);
    return { tokens: r[1], nextAt: this.now() + r[2] };
  }

  async exhaust(key: PairKey): Promise<void> {
    const r = await this.run(key, 'exhaust');
    if (!r) await this.fallback.exhaust(key);
  }
}
