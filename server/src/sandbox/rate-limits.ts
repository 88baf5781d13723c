/**
 * Meta's two send limits: throughput per business number (default 80 messages/s → 130429) and the
 * pair rate per business number and recipient (one message every 6 s with bursts of up to 45 →
 * 131056). Both are token buckets on the injected clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerMs: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket is full again, so it can be forgotten. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }

  private refill(): void {
    const t = this.now();
    const elapsed = Math.max(0, t - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerMs);
    this.updatedAt = t;
  }
}

export interface RateLimitOptions {
  messagesPerSecond: number;
  pairBurst: number;
  pairIntervalMs: number;
  now: () => number;
}

const MAX_PAIRS_BEFORE_PRUNE = 10_000;

export class SendLimits {
  private readonly numbers = new Map<string, TokenBucket>();
  private readonly pairs = new Map<string, TokenBucket>();

  constructor(private readonly opts: RateLimitOptions) {}

  takeThroughput(phoneNumberId: string): boolean {
    let bucket = this.numbers.get(phoneNumberId);
    if (!bucket) {
      bucket = new TokenBucket(this.opts.messagesPerSecond, this.opts.messagesPerSecond / 1000, this.opts.now);
      this.numbers.set(phoneNumberId, bucket);
    }
    return bucket.take();
  }

  takePair(phoneNumberId: string, waId: string): boolean {
    const key = `${phoneNumberId}:${waId}`;
    let bucket = this.pairs.get(key);
    if (!bucket) {
      if (this.pairs.size >= MAX_PAIRS_BEFORE_PRUNE) this.prunePairs();
      bucket = new TokenBucket(this.opts.pairBurst, 1 / this.opts.pairIntervalMs, this.opts.now);
      this.pairs.set(key, bucket);
    }
    return bucket.take();
  }

  private prunePairs(): void {
    for (const [key, bucket] of this.pairs) if (bucket.isFull()) this.pairs.delete(key);
  }
}
