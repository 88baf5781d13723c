/**
 * When to try a failed send again: exponential backoff with jitter (half fixed, half random, so
 * a burst of failures does not retry in lockstep). Meta's throttling codes set a floor from the
 * error table: 131056 (pair rate) about six seconds, 80007 and 4 a minute, 131048 (spam rate) five
 * minutes, 131049 (Meta's per-user marketing limit) an hour — never an immediate retry.
 */
import { explainMetaError } from '@connectdesk/shared';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 5 * 60_000 };

/** Delay before attempt `attempt + 1`, after `attempt` (1-based) failed with `errorCode`. */
export function retryDelay(attempt: number, errorCode: string, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const random = opts.random ?? Math.random;
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const delay = Math.round(exp / 2 + random() * (exp / 2));
  return Math.max(delay, explainMetaError(errorCode).minBackoffMs ?? 0);
}
