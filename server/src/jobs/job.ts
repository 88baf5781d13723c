/**
 * The durable job contract shared by the outbox, webhook applying and inbound media downloads.
 * Every queue is a table; a small store per table (in db/repos/) speaks this contract, so the
 * tables and their migrations stay as they are.
 *
 * Lease rules, the same for every queue:
 * - a claim takes due jobs (oldest first), leases them to one runner (`lease_owner`) until
 *   `now + leaseMs` (`lease_expires_at`) and counts the attempt, in one statement;
 * - a job whose lease ran out (its runner died) is due again;
 * - an outcome (done, retry at a time, failed, deferred) is recorded only by the lease holder,
 *   and lets the lease go.
 */

/** What the runner needs of a claimed job. */
export interface Job {
  id: string;
  /** Attempts so far, this one included (claims count them). */
  attempts: number;
}

export interface JobStore<J extends Job> {
  /** Lease up to `limit` due jobs to `owner` until `now + leaseMs` and count the attempt; oldest first. */
  claim(owner: string, limit: number, leaseMs: number, now: number): Promise<J[]>;
  /** When the next job falls due (a retry's time, or a lease running out), or null when none waits. */
  nextDueAt(): Promise<number | null>;
}

export type JobOutcome<R> =
  | { status: 'done'; result: R }
  /** A temporary failure: try again at `at`. */
  | { status: 'retry'; error: unknown; at: number }
  /** A permanent failure, or (`exhausted`) a temporary one with no attempts left. */
  | { status: 'failed'; error: unknown; exhausted: boolean }
  /** Not done and not a failure (a budget said "not yet"): due again at `at`, the attempt not counted. */
  | { status: 'deferred'; at: number };

export interface SettledJob<J extends Job, R> {
  job: J;
  outcome: JobOutcome<R>;
}

export interface JobHandler<J extends Job, R> {
  /** Do the job. Throw JobDeferred to put it back without counting the attempt. */
  perform(job: J): Promise<R>;
  /**
   * Record outcomes through the store, as lease holder `owner` (with whatever goes with them in the
   * same transaction), then tell whoever needs to know.
   */
  record(settled: SettledJob<J, R>[], owner: string): Promise<void>;
}

/** When a failed job is tried again. */
export interface RetryPolicy {
  /** Attempts before a temporary failure becomes a permanent one. */
  maxAttempts: number;
  /** Whether trying again may help (a network error yes, an invalid payload no). */
  isRetryable(err: unknown): boolean;
  /** How long to wait after `attempts` attempts failed, the last with `err`. */
  delayMs(attempts: number, err: unknown): number;
}

/** Thrown by a job when it must wait (a budget says "not yet"): not an attempt, not a failure. */
export class JobDeferred extends Error {
  constructor(readonly retryAt: number) {
    super(`deferred until ${new Date(retryAt).toISOString()}`);
    this.name = 'JobDeferred';
  }
}
