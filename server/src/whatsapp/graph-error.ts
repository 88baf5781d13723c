/**
 * Errors of the Graph API client. Meta's own errors keep Meta's code, subcode, title, details and
 * fbtrace_id (GraphApiError); failures that never produced a Meta answer — timeouts, broken
 * connections, bare 5xx pages — are GraphTransportError and always worth retrying.
 * `errorCodeOf` gives the stable string the outbox stores; `isRetryable` says whether to try again.
 */
import { LOCAL_ERRORS, metaErrorInfo, type MetaErrorKind } from '@connectdesk/shared';
import { redactText } from '../logger.ts';

export interface GraphApiErrorInit {
  httpStatus: number;
  code: number;
  subcode?: number;
  type: string;
  message: string;
  title?: string;
  details?: string;
  fbtraceId?: string;
  /** Meta marks some failures `is_transient`; those are retried whatever the code. */
  transient?: boolean;
}

/** Code used when the response was not a Meta error body at all (e.g. a proxy's 404 page). */
export const UNEXPECTED_RESPONSE_CODE = -1;

export class GraphApiError extends Error {
  readonly httpStatus: number;
  readonly code: number;
  readonly subcode?: number;
  readonly type: string;
  readonly title: string;
  readonly details?: string;
  readonly fbtraceId?: string;
  readonly retryable: boolean;
  /** What the outbox does about it: throttle and retry try again, auth pauses the number, permanent fails. */
  readonly kind: MetaErrorKind;

  constructor(init: GraphApiErrorInit) {
    super(redactText(init.message));
    this.name = 'GraphApiError';
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.subcode = init.subcode;
    this.type = init.type;
    const known = metaErrorInfo(init.code);
    this.title = redactText(init.title ?? known?.title ?? init.message);
    this.details = init.details === undefined ? undefined : redactText(init.details);
    this.fbtraceId = init.fbtraceId;
    // An unknown code answered with 429 is a rate limit too (Meta answers 80007 with 400 or 429).
    this.kind =
      known?.kind ??
      (init.httpStatus === 429 ? 'throttle' : init.httpStatus >= 500 || init.httpStatus === 408 ? 'retry' : init.httpStatus === 401 ? 'auth' : 'permanent');
    if (init.transient === true && this.kind === 'permanent') this.kind = 'retry';
    this.retryable = this.kind === 'throttle' || this.kind === 'retry';
  }
}

export type TransportFailure = 'timeout' | 'network' | 'http_5xx';

export class GraphTransportError extends Error {
  readonly kind: TransportFailure;
  readonly httpStatus?: number;
  readonly retryable = true;

  constructor(kind: TransportFailure, message: string, opts: { httpStatus?: number; cause?: unknown } = {}) {
    super(redactText(message), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GraphTransportError';
    this.kind = kind;
    this.httpStatus = opts.httpStatus;
  }
}

/** A media download larger than the caller allowed; retrying will not help. */
export class MediaTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`media is larger than the ${maxBytes} bytes allowed`);
    this.name = 'MediaTooLargeError';
  }
}

/** The stable code stored with a failed send: Meta's numeric code as a string, or our own. */
export function errorCodeOf(err: unknown): string {
  if (err instanceof GraphApiError) {
    return err.code === UNEXPECTED_RESPONSE_CODE ? `http_${err.httpStatus}` : String(err.code);
  }
  if (err instanceof GraphTransportError) return err.kind;
  if (err instanceof MediaTooLargeError) return 'media_too_large';
  return 'unknown';
}

/** The access token is expired, invalid or lacks permissions: every send of that number would fail alike. */
export function isTokenProblem(err: unknown): err is GraphApiError {
  return err instanceof GraphApiError && err.kind === 'auth';
}

/** Whether trying the same request again later may succeed. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof GraphApiError) return err.retryable;
  if (err instanceof GraphTransportError) return true;
  const code = errorCodeOf(err);
  return LOCAL_ERRORS[code]?.retryable ?? false;
}

/** Turn a non-2xx Graph answer into the right error: Meta's body when there is one, else by status. */
export function errorFromResponse(httpStatus: number, bodyText: string, what: string): GraphApiError | GraphTransportError {
  const meta = parseMetaError(bodyText);
  if (meta) {
    return new GraphApiError({
      httpStatus,
      code: meta.code,
      subcode: meta.error_subcode,
      type: meta.type ?? 'OAuthException',
      message: meta.message ?? `Graph API error ${meta.code}`,
      title: meta.error_user_title,
      details: meta.error_data?.details ?? meta.error_user_msg,
      fbtraceId: meta.fbtrace_id,
      transient: meta.is_transient,
    });
  }
  if (httpStatus >= 500) return new GraphTransportError('http_5xx', `${what}: HTTP ${httpStatus} without a Graph error body`, { httpStatus });
  return new GraphApiError({
    httpStatus,
    code: UNEXPECTED_RESPONSE_CODE,
    type: 'UnexpectedResponse',
    message: `${what}: HTTP ${httpStatus} without a Graph error body`,
    title: `Unexpected HTTP ${httpStatus} response`,
  });
}

interface MetaErrorFields {
  message?: string;
  type?: string;
  code: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: { details?: string };
  fbtrace_id?: string;
  is_transient?: boolean;
}

function parseMetaError(bodyText: string): MetaErrorFields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return null;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return null;
  const e = error as Record<string, unknown>;
  if (typeof e.code !== 'number') return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const data = e.error_data && typeof e.error_data === 'object' ? (e.error_data as Record<string, unknown>) : undefined;
  return {
    code: e.code,
    message: str(e.message),
    type: str(e.type),
    error_subcode: typeof e.error_subcode === 'number' ? e.error_subcode : undefined,
    error_user_title: str(e.error_user_title),
    error_user_msg: str(e.error_user_msg),
    error_data: data ? { details: str(data.details) } : undefined,
    fbtrace_id: str(e.fbtrace_id),
    is_transient: e.is_transient === true,
  };
}
