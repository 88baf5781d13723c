/**
 * Sends the outbox, a durable job queue (jobs/): rows are leased (so a crash, or another node,
 * never loses or doubles them), paced per business number through the RateGate, retried with
 * exponential backoff and jitter when the failure is temporary (5xx, timeouts, network, 130429,
 * 131056 …) and marked failed with Meta's reason when it is not, or when the attempts run out.
 * Enqueueing wakes the worker at once; a timer picks up retries when they fall due. stop() lets
 * in-flight sends finish. Per recipient, order is kept by the claim (outbox-repo.ts).
 */
import type { OutboxRepo, OutboxRow } from '../db/repos/outbox-repo.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import type { SettledJob } from '../jobs/job.ts';
import type { Logger } from '../logger.ts';
import { retryDelay, type BackoffOptions } from './backoff.ts';
import { errorCodeOf, isRetryable } from './graph-error.ts';
import type { RateGate } from './rate-gate.ts';

/** What the worker does with a row; implemented by OutboxDelivery. Each outcome is recorded as lease holder `owner`. */
export interface OutboxHandler {
  /** Make the Cloud API call; resolves with Meta's wamid (null for calls without one), or throws JobDeferred. */
  send(row: OutboxRow): Promise<string | null>;
  /** The send was deferred: put the row back, due at `retryAt`, the attempt not counted. */
  deferred(row: OutboxRow, owner: string, retryAt: number): Promise<void>;
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
  private readonly runner: JobRunner<OutboxRow, string | null>;

  constructor(private readonly options: OutboxWorkerOptions) {
    const { outbox } = options;
    this.runner = new JobRunner({
      name: 'outbox',
      store: { claim: (owner, limit, leaseMs, now) => outbox.claim(owner, limit, leaseMs, now), nextDueAt: () => outbox.nextWakeAt() },
      handler: { perform: (row) => this.send(row), record: (settled, owner) => this.record(settled, owner) },
      retry: {
        maxAttempts: options.maxAttempts ?? 10,
        isRetryable,
        delayMs: (attempts, err) => retryDelay(attempts, errorCodeOf(err), options.backoff),
      },
      logger: options.logger,
      concurrency: options.concurrency ?? 16,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: options.pollMs ?? 1000,
      now: options.now,
    });
  }

  start(): void {
    this.runner.start();
  }

  /** Look for work now (called after every enqueue). */
  wake(): void {
    this.runner.wake();
  }

  /** Stop claiming; in-flight sends finish and record their outcome. */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Resolves once nothing is in flight (tests and graceful shutdown). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  private logFor(row: OutboxRow): Logger {
    // requestId: the request that queued this send (its access-log line has the same id).
    return this.options.logger.child({ outboxId: row.id, kind: row.kind, attempt: row.attempts, requestId: row.request_id });
  }

  private async send(row: OutboxRow): Promise<string | null> {
    await this.options.gate.take(row.phone_number_id);
    const started = performance.now();
    const wamid = await this.options.handler.send(row);
    this.logFor(row).info({ wamid, ms: Math.round(performance.now() - started) }, 'sent to WhatsApp');
    return wamid;
  }

  private async record(settled: SettledJob<OutboxRow, string | null>[], owner: string): Promise<void> {
    const { handler } = this.options;
    for (const { job: row, outcome } of settled) {
      const log = this.logFor(row);
      switch (outcome.status) {
        case 'done':
          await handler.succeeded(row, owner, outcome.result).catch((err) => log.error({ err, wamid: outcome.result }, 'sent, but could not record it'));
          break;
        case 'deferred':
          await handler.deferred(row, owner, outcome.at).catch((err) => log.error({ err }, 'could not put a deferred send back'));
          break;
        case 'retry': {
          const err = outcome.error as Error;
          log.warn({ code: errorCodeOf(err), err: err.message, retryAt: new Date(outcome.at).toISOString() }, 'send failed; will retry');
          await handler.retrying(row, owner, err, outcome.at).catch((e) => log.error({ err: e }, 'could not record a failed send'));
          break;
        }
        case 'failed': {
          const err = outcome.error as Error;
          log.warn({ code: errorCodeOf(err), err: err.message, exhausted: outcome.exhausted }, 'send failed for good');
          await handler.failed(row, owner, err, outcome.exhausted).catch((e) => log.error({ err: e }, 'could not record a failed send'));
          break;
        }
      }
    }
  }
}
