/**
 * Throughput per business number (Meta allows about 80 messages per second by default). Behind a
 * small interface so a scale-out deployment can back it with Redis and share one budget across
 * nodes; the default is in-process.
 */
export interface RateGate {
  /** Resolves when one more call for this number may go out now. */
  take(phoneNumberId: string): Promise<void>;
}

/**
 * Meta counts a send when it arrives, not when we let it go. Between the gate and Meta's edge each
 * call picks up a different delay (building the payload, the connection pool, the network), so a
 * stream paced at exactly the limit reaches Meta bunched up by that jitter — at 80/s, 20 ms of it
 * is 1.6 calls over. Allowing only a quarter second's burst keeps the other three quarters of
 * Meta's one-second bucket as slack: sustained throughput is still the full rate, and arrival
 * jitter up to 750 ms can never cost a 130429.
 */
export function defaultBurst(perSecond: number): number {
  return Math.max(1, Math.floor(perSecond / 4));
}

export interface TokenBucketOptions {
  /** Sustained rate. */
  perSecond: number;
  /** How many may go at once after a quiet spell (defaults to a quarter second's worth: see defaultBurst). */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket written as virtual scheduling (GCRA): each number keeps the theoretical time its
 * next call is due; taking a slot reserves it synchronously, so concurrent callers queue up fairly
 * without a lock.
 */
export class TokenBucketRateGate implements RateGate {
  private readonly due = new Map<string, number>();
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.perSecond > 0)) throw new Error('perSecond must be positive');
    this.interval = 1000 / opts.perSecond;
    const burst = Math.max(1, Math.floor(opts.burst ?? defaultBurst(opts.perSecond)));
    this.tolerance = this.interval * (burst - 1);
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** How long a caller arriving now would wait, and reserve its slot. */
  reserve(key: string): number {
    const now = this.now();
    const tat = Math.max(this.due.get(key) ?? now, now);
    const wait = Math.max(0, tat - this.tolerance - now);
    this.due.set(key, tat + this.interval);
    if (this.due.size > 10_000) this.sweep(now);
    return wait;
  }

  async take(phoneNumberId: string): Promise<void> {
    const wait = this.reserve(phoneNumberId);
    if (wait > 0) await this.sleep(wait);
  }

  private sweep(now: number): void {
    for (const [k, t] of this.due) if (t < now) this.due.delete(k);
  }
}
