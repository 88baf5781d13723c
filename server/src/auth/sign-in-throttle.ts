/**
 * Sign-in brute-force protection that an outsider cannot turn against the real agent:
 * - per client address + account: a few free failures, then a delay that doubles with every further
 *   failure (30 s, 60 s, … at most 15 min) before that address may try that account again;
 * - per client address, across accounts: a cap on failures in a window (guessing many accounts).
 * Nothing is keyed on the account alone, so failures from an attacker's address never delay the
 * agent signing in from theirs. The limiters come from the one limiter factory main.ts chooses
 * (memory in one process; Redis, shared by every node, with REDIS_URL), like every other limit.
 */
import { AppError } from '../errors.ts';
import type { Limiter, LimiterFactory } from '../limits/limiter-factory.ts';

export interface SignInThrottleOptions {
  /** Failures per address + account before delays start. */
  freeFailures: number;
  /** The first delay, doubled with each failure after it, up to maxDelaySeconds. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** How long an address + account's failures are remembered (from the first one). */
  failureMemorySeconds: number;
  /** Failures per address across all accounts within addressWindowSeconds. */
  addressFailures: number;
  addressWindowSeconds: number;
}

const SIGN_IN_THROTTLE_DEFAULTS: SignInThrottleOptions = {
  freeFailures: 5,
  baseDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  failureMemorySeconds: 24 * 60 * 60,
  addressFailures: 30,
  addressWindowSeconds: 10 * 60,
};

/** The one place that says what a sign-in attempt is keyed on. */
function pairKey(address: string, email: string): string {
  return `${address}|${email.trim().toLowerCase()}`;
}

export class SignInThrottle {
  private readonly opts: SignInThrottleOptions;
  private readonly pairFailures: Limiter;
  private readonly pairDelay: Limiter;
  private readonly addressFailures: Limiter;

  constructor(limiters: LimiterFactory, opts: Partial<SignInThrottleOptions> = {}) {
    this.opts = { ...SIGN_IN_THROTTLE_DEFAULTS, ...opts };
    this.pairFailures = limiters({ name: 'sign-in-failures', points: Number.MAX_SAFE_INTEGER, windowSeconds: this.opts.failureMemorySeconds });
    // One point a second: a block() is what holds an address + account back.
    this.pairDelay = limiters({ name: 'sign-in-delay', points: 1, windowSeconds: 1 });
    this.addressFailures = limiters({ name: 'sign-in-address-failures', points: this.opts.addressFailures, windowSeconds: this.opts.addressWindowSeconds });
  }

  /** Refuses (429) an attempt from an address over its cap, or still waiting for this account. */
  async check(address: string, email: string): Promise<void> {
    const [byAddress, delay] = await Promise.all([this.addressFailures.peek(address), this.pairDelay.peek(pairKey(address, email))]);
    if (byAddress && byAddress.consumed >= this.opts.addressFailures) {
      throw new AppError('rate_limited', 'too many failed sign-ins from your address; try again later', {
        retry_after: byAddress.retryAfterSeconds,
      });
    }
    if (delay && delay.consumed > 1) {
      throw new AppError('locked', 'too many failed sign-ins for this account from your address; wait before trying again', {
        retry_after: delay.retryAfterSeconds,
      });
    }
  }

  async failed(address: string, email: string): Promise<void> {
    const key = pairKey(address, email);
    const [pair] = await Promise.all([this.pairFailures.count(key), this.addressFailures.count(address)]);
    const beyond = pair - this.opts.freeFailures;
    if (beyond >= 0) {
      const seconds = Math.min(this.opts.maxDelaySeconds, this.opts.baseDelaySeconds * 2 ** Math.min(beyond, 30));
      await this.pairDelay.block(key, seconds);
    }
  }

  /** The right password from this address: its failures for this account are forgotten. */
  async succeeded(address: string, email: string): Promise<void> {
    const key = pairKey(address, email);
    await Promise.all([this.pairFailures.reset(key), this.pairDelay.reset(key)]);
  }
}
