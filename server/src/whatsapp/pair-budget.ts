/**
 * ConnectDesk's own account of Meta's pair rate (131056): how many messages one business number
 * may send one recipient — the owner's phone — at once (a burst), refilled one every interval.
 * Meta counts a message when it arrives, so the budget is taken at send time, by the outbox, and
 * a send the budget cannot pay for waits instead of being refused. If Meta answers 131056 anyway
 * (another sender, a smaller limit than configured), `exhaust` corrects the budget from it.
 *
 * The bucket is GCRA (as in rate-gate.ts): one number per pair, the theoretical time the next
 * message is due (`tat`). `keep` holds tokens back for sends that matter more: forwards and
 * digests leave a couple for the owner's own commands and help messages.
 */

export interface PairKey {
  phoneNumberId: string;
  waId: string;
}

export type TakeResult = { ok: true } | { ok: false; retryAt: number };

export interface PairBudgetView {
  /** Whole messages that could go now. */
  tokens: number;
  /** When one more becomes available (now, when the bucket is full). */
  nextAt: number;
}

export interface PairBudget {
  readonly burst: number;
  readonly intervalMs: number;
  /** Spend one message now if more than `keep` are available; else when to ask again. */
  take(key: PairKey, keep: number): Promise<TakeResult>;
  peek(key: PairKey): Promise<PairBudgetView>;
  /** Meta said 131056: nothing left now, the next message one interval from now. */
  exhaust(key: PairKey): Promise<void>;
}

interface GcraParams {
  intervalMs: number;
  burst: number;
}

/** The pure arithmetic, shared by the in-process budget and mirrored by the Redis script. */
const gcra = {
  tolerance: (p: GcraParams) => p.intervalMs * (p.burst - 1),

  view(p: GcraParams, tat: number | undefined, now: number): PairBudgetView {
    const due = Math.max(tat ?? now, now);
    const slack = gcra.tolerance(p) - (due - now);
    if (slack < 0) return { tokens: 0, nextAt: due - gcra.tolerance(p) };
    const tokens = Math.min(p.burst, Math.floor(slack / p.intervalMs) + 1);
    return { tokens, nextAt: tokens >= p.burst ? now : due - gcra.tolerance(p) + tokens * p.intervalMs };
  },

  /** The new tat after spending one, or when to retry. */
  take(p: GcraParams, tat: number | undefined, now: number, keep: number): { tat: number } | { retryAt: number } {
    const due = Math.max(tat ?? now, now);
    const allowedFrom = due - gcra.tolerance(p) + Math.max(0, keep) * p.intervalMs;
    if (allowedFrom > now) return { retryAt: allowedFrom };
    return { tat: due + p.intervalMs };
  },

  exhaust(p: GcraParams, tat: number | undefined, now: number): number {
    return Math.max(tat ?? now, now + gcra.tolerance(p) + p.intervalMs);
  },

  /** Replay past sends (oldest first) into a fresh bucket. */
  replay(p: GcraParams, sentAt: number[]): number | undefined {
    let tat: number | undefined;
    for (const t of sentAt) tat = Math.max(tat ?? t, t) + p.intervalMs;
    return tat;
  },
};

export interface MemoryPairBudgetOptions extends GcraParams {
  /** Past sends to a pair (ms, oldest first), read once per pair: a restart does not forget the budget spent. */
  history?: (key: PairKey, since: number) => Promise<number[]>;
  now?: () => number;
}

export const pairKeyString = (key: PairKey) => `${key.phoneNumberId}:${key.waId}`;

/** The budget of one process (SQLite, or the fallback while Redis is unreachable). */
export class MemoryPairBudget implements PairBudget {
  readonly burst: number;
  readonly intervalMs: number;
  private readonly tats = new Map<string, number | undefined>();
  private readonly seeding = new Map<string, Promise<void>>();
  private readonly now: () => number;

  private readonly history: MemoryPairBudgetOptions['history'];

  constructor(options: MemoryPairBudgetOptions) {
    this.history = options.history;
    if (!(options.intervalMs > 0) || !(options.burst >= 1)) throw new Error('a pair budget needs a positive interval and a burst of at least 1');
    this.burst = Math.floor(options.burst);
    this.intervalMs = options.intervalMs;
    this.now = options.now ?? Date.now;
  }

  private async tatOf(key: PairKey): Promise<number | undefined> {
    const k = pairKeyString(key);
    if (!this.tats.has(k)) {
      let seeding = this.seeding.get(k);
      if (!seeding) {
        seeding = this.seed(key, k);
        this.seeding.set(k, seeding);
      }
      await seeding;
    }
    return this.tats.get(k);
  }

  private async seed(key: PairKey, k: string): Promise<void> {
    const since = this.now() - this.intervalMs * (this.burst + 1);
    const past = this.history ? await this.history(key, since).catch(() => []) : [];
    if (!this.tats.has(k)) this.tats.set(k, gcra.replay(this, past));
    this.seeding.delete(k);
  }

  async take(key: PairKey, keep: number): Promise<TakeResult> {
    const tat = await this.tatOf(key);
    const now = this.now();
    const r = gcra.take(this, tat, now, keep);
    if ('retryAt' in r) return { ok: false, retryAt: r.retryAt };
    this.tats.set(pairKeyString(key), r.tat);
    return { ok: true };
  }

  async peek(key: PairKey): Promise<PairBudgetView> {
    return gcra.view(this, await this.tatOf(key), this.now());
  }

  async exhaust(key: PairKey): Promise<void> {
    const tat = await this.tatOf(key);
    this.tats.set(pairKeyString(key), gcra.exhaust(this, tat, this.now()));
  }
}
