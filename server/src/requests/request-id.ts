/**
 * Every request has an id: the caller's `X-Request-Id` when it is a sensible one (1–128 of
 * `A–Z a–z 0–9 . _ : -`, what proxies and tracing tools send), else a new one. The access log, the
 * response header, the outbox row a request queues and the webhook event it stores all carry it,
 * so one id finds the request, the send it caused and the delivery it applied.
 */
import type { IncomingMessage } from 'node:http';
import { newId } from '../ids.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when valid, else a new one. */
export function acceptRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : newId();
}

/** An id for work that does not start with an HTTP request (a socket event). */
export function newRequestId(): string {
  return newId();
}

/** What the server knows about a request while it runs: its id, and the route that answered it. */
export interface RequestInfo {
  readonly id: string;
  /** The router's path template (`/admin/api/conversations/:id`), set by whoever answered. */
  route: string | null;
}

const INFO = Symbol('connectdesk.requestInfo');
type WithInfo = IncomingMessage & { [INFO]?: RequestInfo };

/** This request's info, made on first use (the access log asks first, so it is the same everywhere). */
export function requestInfo(req: IncomingMessage): RequestInfo {
  const r = req as WithInfo;
  r[INFO] ??= { id: acceptRequestId(req.headers['x-request-id']), route: null };
  return r[INFO];
}
