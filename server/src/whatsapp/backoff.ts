/**
 * When to try a failed send again: exponential backoff with jitter (half fixed, half random, so
 * a burst of failures does not retry in lockstep). Meta's pair-rate limit (131056) asks for about
 * six seconds between messages to the same user, so that error never retries sooner.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 5 * 60_000 };
const PAIR_RATE_MIN_MS = 6000;

/** Delay before attempt `attempt + 1`, after `attempt` (1-based) failed with `errorCode`. */
export function retryDelay(attempt: number, errorCode: string, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const random = opts.random ?? Math.random;
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const delay = Math.round(exp / 2 + random() * (exp / 2));
  return errorCode === '131056' ? Math.max(delay, PAIR_RATE_MIN_MS) : delay;
}
