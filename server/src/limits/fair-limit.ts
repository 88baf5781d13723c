/**
 * A per-address limit that one client behind a shared address (a proxy, an office NAT) cannot use
 * to lock everybody else out. Every hit counts against the address's budget; when it is spent,
 * hits of an identity (a known visitor, a signed-in agent, one socket) that has stayed within its
 * fair share this window still get through, from an overflow budget that bounds the address's
 * total. Identities have their own hard limit as well. Anonymous hits only have the address.
 */
import type { Limiter, LimiterFactory } from './limiter-factory.ts';

export interface FairLimitSettings {
  /** Hits per address per window. */
  perAddress: number;
  /** Hits per identity per window (hard). */
  perIdentity: number;
  /** An identity with at most this many hits this window passes even when the address is spent. */
  fairShare: number;
  /** Hits per address per window allowed on fair shares once `perAddress` is spent. */
  overflow: number;
  windowSeconds: number;
}

export type FairVerdict = { allowed: true } | { allowed: false; scope: 'identity' | 'address'; retryAfterSeconds: number };

export class FairLimit {
  private readonly perAddress: Limiter;
  private readonly perIdentity: Limiter;
  private readonly overflow: Limiter;

  constructor(
    name: string,
    readonly settings: FairLimitSettings,
    limiters: LimiterFactory,
  ) {
    const w = settings.windowSeconds;
    this.perAddress = limiters({ name: `${name}:addr`, points: settings.perAddress, windowSeconds: w });
    this.perIdentity = limiters({ name: `${name}:id`, points: settings.perIdentity, windowSeconds: w });
    this.overflow = limiters({ name: `${name}:fair`, points: settings.overflow, windowSeconds: w });
  }

  async take(address: string, identity: string | null): Promise<FairVerdict> {
    let own: { consumed: number } | null = null;
    if (identity !== null) {
      const mine = await this.perIdentity.take(identity);
      if (!mine.allowed) return { allowed: false, scope: 'identity', retryAfterSeconds: mine.retryAfterSeconds };
      own = mine;
    }
    const shared = await this.perAddress.take(address);
    if (shared.allowed) return { allowed: true };
    if (own && own.consumed <= this.settings.fairShare) {
      const spare = await this.overflow.take(address);
      if (spare.allowed) return { allowed: true };
      return { allowed: false, scope: 'address', retryAfterSeconds: Math.min(shared.retryAfterSeconds, spare.retryAfterSeconds) };
    }
    return { allowed: false, scope: 'address', retryAfterSeconds: shared.retryAfterSeconds };
  }
}
