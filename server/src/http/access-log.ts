/**
 * One access-log line per HTTP request, at info: method, route (the router's path template, never
 * the raw URL), status, milliseconds, request id and client address — for every request the
 * server answers outside socket.io (the Koa app and the webhook intake alike). The request id is
 * echoed in `X-Request-Id`. A response the client hung up on before it was complete is logged
 * (and measured) with status 499, as nginx does.
 */
import type http from 'node:http';
import type { Logger } from '../logger.ts';
import type { ClientAddresses } from '../requests/client-address.ts';
import { REQUEST_ID_HEADER, requestInfo } from '../requests/request-id.ts';

const CLIENT_CLOSED_REQUEST = 499;

/** Requests no router claimed, bucketed by area so the route label stays a short, fixed list. */
export function fallbackRoute(path: string): string {
  for (const area of ['/admin/api/', '/admin/', '/api/', '/sandbox/']) if (path.startsWith(area)) return `${area}*`;
  return 'unmatched';
}

export interface AccessLogDeps {
  logger: Logger;
  addresses: ClientAddresses;
  /** Called once per request when it ends (the HTTP duration histogram). */
  observe?: (route: string, status: number, seconds: number) => void;
}

export function withAccessLog(handler: http.RequestListener, deps: AccessLogDeps): http.RequestListener {
  return (req, res) => {
    const started = performance.now();
    const info = requestInfo(req);
    res.setHeader(REQUEST_ID_HEADER, info.id);
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
      const route = info.route ?? fallbackRoute((req.url ?? '/').split('?')[0]!);
      deps.observe?.(route, status, seconds);
      deps.logger.info({ requestId: info.id, method: req.method, route, status, ms: Math.round(seconds * 10_000) / 10, ip: deps.addresses.of(req) }, 'request');
    });
    handler(req, res);
  };
}
