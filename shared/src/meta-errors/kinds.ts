/**
 * What a Meta error means for ConnectDesk: `throttle` (a rate limit — wait at least `minBackoffMs`,
 * then retry with exponential backoff), `retry` (temporary — retry with backoff), `auth` (the
 * access token is expired, invalid or lacks permissions — every send of that number would fail
 * the same way, so its outbox pauses until a valid token is saved) or `permanent` (retrying the
 * same request cannot help; `fix` says what a person should do).
 */
export type MetaErrorKind = 'throttle' | 'retry' | 'auth' | 'permanent';

export interface MetaErrorInfo {
  title: string;
  explanation: string;
  fix: string;
  kind: MetaErrorKind;
  /** Whether the outbox tries again on its own (`throttle` and `retry`). */
  retryable: boolean;
  /** The least a retry waits (throttling codes, as Meta documents them). */
  minBackoffMs?: number;
}

/** One row of the table: `kind`, title, explanation, fix, and for throttling the least wait. */
export function entry(kind: MetaErrorKind, title: string, explanation: string, fix: string, minBackoffMs?: number): MetaErrorInfo {
  return { title, explanation, fix, kind, retryable: kind === 'throttle' || kind === 'retry', ...(minBackoffMs === undefined ? {} : { minBackoffMs }) };
}
