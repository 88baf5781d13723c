/**
 * What GraphClient tells its `observe` hook about each finished call (the Graph metrics): which
 * endpoint, how it ended, and the code to count it under.
 */
import { GraphApiError, GraphTransportError, MediaTooLargeError, UNEXPECTED_RESPONSE_CODE } from './graph-error.ts';

/** One finished call. */
export interface GraphCall {
  /** What was called: messages, mark_read, media_upload, media_info, media_download, message_templates, phone_number, debug_token. */
  endpoint: string;
  /** ok; error (an error answer); timeout; network (no answer); aborted (our caller gave up). */
  outcome: 'ok' | 'error' | 'timeout' | 'network' | 'aborted';
  /** The HTTP status of a success (`200`); Meta's error code (`131047`) or `http_<status>` for an error answer; else the outcome. */
  code: string;
  seconds: number;
}

/** How a failed call is counted. */
export function failedCall(err: unknown, callerSignal: AbortSignal | undefined): Pick<GraphCall, 'outcome' | 'code'> {
  if (err instanceof GraphApiError) return { outcome: 'error', code: err.code === UNEXPECTED_RESPONSE_CODE ? `http_${err.httpStatus}` : String(err.code) };
  if (err instanceof GraphTransportError) {
    if (err.kind === 'http_5xx') return { outcome: 'error', code: `http_${err.httpStatus ?? 500}` };
    return { outcome: err.kind, code: err.kind };
  }
  if (err instanceof MediaTooLargeError) return { outcome: 'error', code: 'media_too_large' };
  if (callerSignal?.aborted) return { outcome: 'aborted', code: 'aborted' };
  return { outcome: 'error', code: 'unknown' };
}
