/**
 * Sends the outbox. Rows are leased (so a crash, or another node, never loses or doubles them),
 * paced per business number through the RateGate, retried with exponential backoff and jitter
 * when the failure is temporary (5xx, timeouts, network, 130429, 131056 …) and marked failed with
 * Meta's reason when it is not, or when the attempts run out. Enqueueing wakes the worker at once;
 * a timer picks up retries when they fall due. stop() lets in-flight sends finish.
 */
import { SerialPump } from './serial-pump.ts';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { OutboxRepo, OutboxRow } from '../db/repos/outbox-repo.ts';
import type { Logger } from '../logger.ts';
import { retryDelay, type BackoffOptions } from './backoff.ts';
import { errorCodeOf, isRetryable } from './graph-error.ts';
import type { RateGate } from './rate-gate.ts';

/** What the worker does with a row; implemented by OutboxDelivery. */
export interface OutboxHandler {
  /** Make the Cloud API call; resolves with Meta's wamid (null for calls without one). */
  send(row: OutboxRow): Promise<string | null>;
  succeeded(row: OutboxRow, owner: string, wamid: string | null): Promise<void>;
  retrying(row: OutboxRow, owner: string, err: unknown, nextAttemptAt: number): Promise<void>;
  failed(row: OutboxRow, owner: string, err: unknown, exhausted: boolean): Promise<void>;
}

export interface OutboxWorkerOptions {
  outbox: OutboxRepo;
  handler: OutboxHandler;
  gate: RateGate;
  logger: Logger;
  /** Sends in flight at once (across all numbers). */
  concurrency?: number;
  /** Attempts before a temporary failure becomes `attempts_exhausted`. */
  maxAttempts?: number;
  /** How long a claimed row stays ours; must exceed the longest send (timeout + upload). */
  leaseMs?: number;
  /** Upper bound between looks at the table (retries falling due, other nodes' rows). */
  pollMs?: number;
  backoff?: BackoffOptions;
  now?: () => number;
}

export class OutboxWorker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly loop = new SerialPump(() => this.pump());
  private readonly inflight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: OutboxWorkerOptions) {}

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  start(): void {
    this.loop.start();
  }

  /** Look for work now (called after every enqueue). */
  wake(): void {
    this.loop.kick();
  }

  /** Stop claiming; in-flight sends finish and record their outcome. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.loop.stop();
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves once nothing is in flight (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.loop.inProgress || this.inflight.size) {
      await this.loop.idle();
      await Promise.allSettled([...this.inflight]);
    }
  }

  private async pump(): Promise<void> {
    try {
      const free = (this.o.concurrency ?? 16) - this.inflight.size;
      if (free > 0) {
        const rows = await this.o.outbox.claim(this.owner, free, this.o.leaseMs ?? 60_000, this.now);
        for (const row of rows) this.track(this.process(row));
        if (rows.length === free) this.loop.requestAnother(); // there may be more
      }
    } catch (err) {
      this.o.logger.error({ err }, 'outbox claim failed');
    }
    await this.schedule().catch((err) => this.o.logger.error({ err }, 'outbox scheduling failed'));
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      this.wake();
    });
  }

  private async schedule(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.loop.running) return;
    const poll = this.o.pollMs ?? 1000;
    const at = await this.o.outbox.nextWakeAt();
    // Something due but not claimable (another node has it, or an older message to the same
    // recipient is waiting): look again after the poll interval rather than spin.
    const delay = at !== null && at > this.now ? Math.min(poll, at - this.now) : poll;
    if (!this.loop.running) return;
    this.timer = setTimeout(() => this.wake(), Math.max(5, delay));
    this.timer.unref();
  }

  private async process(row: OutboxRow): Promise<void> {
    const log = this.o.logger.child({ outboxId: row.id, kind: row.kind, attempt: row.attempts });
    let wamid: string | null;
    try {
      await this.o.gate.take(row.phone_number_id);
      wamid = await this.o.handler.send(row);
    } catch (err) {
      await this.onError(row, err, log).catch((e) => log.error({ err: e }, 'could not record a failed send'));
      return;
    }
    await this.o.handler.succeeded(row, this.owner, wamid).catch((err) => log.error({ err, wamid }, 'sent, but could not record it'));
  }

  private async onError(row: OutboxRow, err: unknown, log: Logger): Promise<void> {
    const code = errorCodeOf(err);
    const retryable = isRetryable(err);
    const maxAttempts = this.o.maxAttempts ?? 10;
    if (retryable && row.attempts < maxAttempts) {
      const next = this.now + retryDelay(row.attempts, code, this.o.backoff);
      log.warn({ code, err: (err as Error).message, retryAt: new Date(next).toISOString() }, 'send failed; will retry');
      await this.o.handler.retrying(row, this.owner, err, next);
      return;
    }
    log.warn({ code, err: (err as Error).message, exhausted: retryable }, 'send failed for good');
    await this.o.handler.failed(row, this.owner, err, retryable);
  }
}
