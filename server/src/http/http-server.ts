/**
 * The one HTTP server, as the outside world meets it: socket.io takes `/socket.io/`
 * (createRealtimeHttpServer), everything else goes to `handler`. Before anything reads a request
 * or a WebSocket upgrade, the forwarded headers of a peer that is not a trusted proxy are dropped
 * (one trust rule for Koa, the sockets and the limits) and the slow-body guard starts watching
 * (socket.io's long-polling POSTs included); Node's timeouts hold slow headers and requests, and one
 * client address may hold only so many connections.
 */
import type http from 'node:http';
import type { Server } from 'socket.io';
import type { Logger } from '../logger.ts';
import { createRealtimeHttpServer } from '../realtime/io.ts';
import { DEFAULT_BODY_READ_LIMITS, guardBodyRead } from './body-read-guard.ts';
import type { ClientAddresses } from '../requests/client-address.ts';
import { capConnectionsPerAddress } from './connection-cap.ts';

/**
 * Node's HTTP timeouts: complete headers within 15 s (slowloris), any whole request within 300 s
 * (a 10 MB upload needs ≥ 280 kbit/s), checked every second. Slow bodies are dropped sooner by
 * body-read-guard.ts.
 */
const HTTP_TIMEOUTS = Object.freeze({ headersTimeout: 15_000, requestTimeout: 300_000, connectionsCheckingInterval: 1_000, keepAliveTimeout: 65_000 });

export interface HttpServerDeps {
  io: Server;
  /** Every request that is not socket.io's. */
  handler: http.RequestListener;
  addresses: ClientAddresses;
  /** Open connections per client address (0 = no cap); trusted proxies are exempt. */
  maxConnectionsPerIp: number;
  logger: Logger;
}

export function createHttpServer(deps: HttpServerDeps): http.Server {
  const { addresses, logger } = deps;
  const server = createRealtimeHttpServer(deps.io, deps.handler, {
    ...HTTP_TIMEOUTS,
    prepare: (req) => {
      addresses.dropUntrustedForwarding(req);
      guardBodyRead(req, DEFAULT_BODY_READ_LIMITS, (reason) => logger.info({ reason, ip: addresses.of(req) }, 'dropped a slow request body'));
    },
  });
  capConnectionsPerAddress(server, { maxPerAddress: deps.maxConnectionsPerIp, trustsPeer: (peer) => addresses.trustsPeer(peer) });
  return server;
}
