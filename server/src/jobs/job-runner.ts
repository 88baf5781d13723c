/**
 * Runs a durable queue (see job.ts): claims due jobs with a lease, performs them, decides the
 * outcome (done; retry at a time with backoff; failed; deferred) and has the handler record it.
 * A wake() looks for work at once; a timer looks again when the next job falls due (a retry, or a
 * dead runner's lease running out), or after `pollMs` at the latest. stop() claims nothing more
 * and lets the jobs in flight finish and record their outcome.
 *
 * Order: jobs of one claim that share an ordering key run one after another, in claim order;
 * the others run concurrently. With `oneBatchAtATime` the next claim waits for the previous
 * one's jobs, so that order holds across claims too (a store can instead keep order in its claim,
 * as the outbox does per recipient).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger.ts';
import { JobDeferred, type Job, type JobHandler, type JobOutcome, type JobStore, type RetryPolicy, type SettledJob } from './job.ts';
import { SerialPasses } from './serial-passes.ts';

export interface JobRunnerOptions<J extends Job, R> {
  /** For log lines ("outbox", "webhook events", "media downloads"). */
  name: string;
  store: JobStore<J>;
  handler: JobHandler<J, R>;
  retry: RetryPolicy;
  logger: Logger;
  /** Jobs in flight at once. */
  concurrency: number;
  /** How long a claimed job stays ours; must exceed the longest job. */
  leaseMs: number;
  /** Upper bound between looks at the table (retries falling due, other nodes' jobs). */
  pollMs: number;
  /** Shortest wait for a job falling due (ms). */
  minDelayMs?: number;
  /** Jobs of one claim with the same key run one after another, in claim order. */
  orderingKey?: (job: J) => string;
  /** Claim again only when the previous claim's jobs are finished. */
  oneBatchAtATime?: boolean;
  /** Record a claim's outcomes in one call once all its jobs are finished (one write per batch). */
  recordTogether?: boolean;
  /** Before each claim: the most to claim now (fewer while the database has more urgent work). */
  claimLimit?: () => Promise<number>;
  /** Housekeeping at the start of each pass. */
  beforePass?: () => Promise<void>;
  /**
   * Before a claim's jobs run one by one: a chance to do part of them together (the handler then
   * finds those done when `perform` is called). A throw is logged and the jobs run as usual.
   */
  beforeBatch?: (jobs: J[]) => Promise<void>;
  now?: () => number;
}

export class JobRunner<J extends Job, R> {
  /** The lease owner written on every claim: unique per process and runner. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly passes = new SerialPasses(() => this.claimPass());
  private readonly batches = new Set<Promise<void>>();
  private jobsInFlight = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: JobRunnerOptions<J, R>) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Start, beginning with whatever a previous run left due. */
  start(): void {
    this.passes.start();
  }

  /** Look for work now (after an enqueue). */
  wake(): void {
    this.passes.request();
  }

  /** Claim nothing more; jobs in flight finish and record their outcome. */
  async stop(): Promise<void> {
    this.clearTimer();
    await this.passes.stop();
    await Promise.allSettled([...this.batches]);
  }

  /** Resolves once no pass runs and no job is in flight. */
  async idle(): Promise<void> {
    while (this.passes.inProgress || this.batches.size) {
      await this.passes.idle();
      await Promise.allSettled([...this.batches]);
    }
  }

  private async claimPass(): Promise<void> {
    const { options } = this;
    try {
      await options.beforePass?.();
      const free = options.oneBatchAtATime && this.batches.size ? 0 : options.concurrency - this.jobsInFlight;
      if (free > 0) {
        const limit = Math.min(free, (await options.claimLimit?.()) ?? free);
        if (this.passes.running && limit > 0) {
          const jobs = await options.store.claim(this.owner, limit, options.leaseMs, this.now);
          if (jobs.length) this.track(jobs);
          if (jobs.length === limit) this.passes.requestAnother(); // there may be more
        }
      }
    } catch (err) {
      options.logger.error({ err, queue: options.name }, 'could not claim jobs');
    }
    await this.scheduleNextLook();
  }

  private track(jobs: J[]): void {
    this.jobsInFlight += jobs.length;
    const batch = this.runBatch(jobs)
      .catch((err) => this.options.logger.error({ err, queue: this.options.name }, 'job bookkeeping failed'))
      .finally(() => {
        this.jobsInFlight -= jobs.length;
        this.batches.delete(batch);
        this.wake();
      });
    this.batches.add(batch);
  }

  private async runBatch(jobs: J[]): Promise<void> {
    const { orderingKey, recordTogether, beforeBatch } = this.options;
    if (beforeBatch)
      await beforeBatch(jobs).catch((err) => this.options.logger.warn({ err, queue: this.options.name }, 'batch step failed; jobs run one by one'));
    const chains = new Map<string, Promise<unknown>>();
    const settled = await Promise.all(
      jobs.map((job, i) => {
        const run = async (): Promise<SettledJob<J, R>> => {
          const done = { job, outcome: await this.perform(job) };
          if (!recordTogether) await this.record([done]);
          return done;
        };
        const key = orderingKey ? orderingKey(job) : String(i);
        const next = (chains.get(key) ?? Promise.resolve()).then(run);
        chains.set(key, next);
        return next;
      }),
    );
    if (recordTogether) await this.record(settled);
  }

  private async record(settled: SettledJob<J, R>[]): Promise<void> {
    await this.options.handler
      .record(settled, this.owner)
      .catch((err) => this.options.logger.error({ err, queue: this.options.name, jobs: settled.map((s) => s.job.id) }, 'could not record job outcomes'));
  }

  private async perform(job: J): Promise<JobOutcome<R>> {
    try {
      return { status: 'done', result: await this.options.handler.perform(job) };
    } catch (err) {
      if (err instanceof JobDeferred) return { status: 'deferred', at: err.retryAt };
      const { retry } = this.options;
      const retryable = retry.isRetryable(err);
      if (retryable && job.attempts < retry.maxAttempts) return { status: 'retry', error: err, at: this.now + retry.delayMs(job.attempts, err) };
      return { status: 'failed', error: err, exhausted: retryable };
    }
  }

  private async scheduleNextLook(): Promise<void> {
    if (!this.passes.running) return this.clearTimer();
    // The next pass comes anyway (a full claim, or a batch that wakes us when it finishes, while no
    // other claim may start): it looks then. Saves a query per batch on the busy path.
    if (this.passes.anotherRequested || (this.options.oneBatchAtATime && this.batches.size)) return;
    this.clearTimer();
    const { pollMs, minDelayMs = 5 } = this.options;
    // The database is unreachable: look again after the poll interval all the same.
    const at = await this.options.store.nextDueAt().catch((err: unknown) => {
      this.options.logger.error({ err, queue: this.options.name }, 'could not read when the next job is due');
      return null;
    });
    const now = this.now;
    // Due already but not claimed (another node has it, an older job of the same key waits, or we
    // are at capacity and will look when a job finishes): look again after the poll interval.
    const delay = at === null || at <= now ? pollMs : Math.min(pollMs, Math.max(minDelayMs, at - now));
    if (!this.passes.running) return;
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
