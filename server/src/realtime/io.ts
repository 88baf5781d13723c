/** socket.io on the same HTTP server as Koa: `/visitor` for widgets, `/admin` for agents. */
import http from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { AdminClientToServer, AdminServerToClient, VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';
import { attachAdminNamespace, type AdminNamespaceDeps } from './admin-namespace.ts';
import { RecoveryAdapter } from './recovery-adapter.ts';
import { rememberingParser } from './remembering-encoder.ts';
import { attachVisitorNamespace, type VisitorNamespaceDeps } from './visitor-namespace.ts';

const SOCKET_IO_PATH = '/socket.io';

/**
 * The socket.io server, not yet attached to an HTTP server: createRealtimeHttpServer attaches it
 * once the request handler is known. `adapter`: the Redis adapter when REDIS_URL is set (scale-out);
 * in-memory otherwise, keeping what recovery needs as JSON in Buffers (recovery-adapter.ts).
 */
export function createIo(opts: { adapter?: ServerOptions['adapter'] } = {}): Server {
  return new Server({
    adapter: opts.adapter ?? RecoveryAdapter,
    // The standard wire format; the recovery store's encoding of a broadcast is the one sent (remembering-encoder.ts).
    parser: rememberingParser,
    path: SOCKET_IO_PATH,
    // The widget and the admin app bundle their own client; nothing needs it served.
    serveClient: false,
    transports: ['websocket', 'polling'],
    // The widget runs on customers' sites: any origin may open a visitor socket (no cookies are
    // used there). The admin namespace checks Origin + cookie itself.
    cors: { origin: true, credentials: false },
    perMessageDeflate: false,
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });
}

export interface RealtimeHttpServerOptions extends http.ServerOptions {
  /**
   * Runs first for every request and every WebSocket upgrade, socket.io's included, before any
   * handler reads it; it must not answer (main.ts drops untrusted forwarded headers and starts the
   * slow-body watchdog here).
   */
  prepare?: (req: http.IncomingMessage) => void;
}

/**
 * The one HTTP server: `handler` answers every request except socket.io's. engine.io takes the
 * requests under `/socket.io/` and hands all others to the handlers the server had when it attached,
 * so the handler is registered here, before socket.io attaches. (A request handler added after
 * attaching answers socket.io's requests too: Koa's 404 followed by engine.io's own response is
 * `ERR_HTTP_HEADERS_SENT`, which killed the process on every long-polling POST.)
 */
export function createRealtimeHttpServer(io: Server, handler: http.RequestListener, opts: RealtimeHttpServerOptions = {}): http.Server {
  const { prepare, ...serverOptions } = opts;
  const server = http.createServer(serverOptions, handler);
  io.attach(server);
  // Prepended after attaching, so it runs before engine.io's own listeners; it never answers, so
  // socket.io's requests may pass through it.
  if (prepare) {
    server.prependListener('request', (req: http.IncomingMessage) => prepare(req));
    server.prependListener('upgrade', (req: http.IncomingMessage) => prepare(req));
  }
  return server;
}

/** Sockets this node holds, by namespace (the connectdesk_sockets gauge). */
export function socketCounts(io: Server): Record<string, number> {
  return { '/visitor': io.of('/visitor').sockets.size, '/admin': io.of('/admin').sockets.size };
}

export function attachNamespaces(io: Server, deps: VisitorNamespaceDeps & AdminNamespaceDeps): void {
  attachVisitorNamespace(io.of('/visitor') as never as import('socket.io').Namespace<VisitorClientToServer, VisitorServerToClient>, deps);
  attachAdminNamespace(io.of('/admin') as never as import('socket.io').Namespace<AdminClientToServer, AdminServerToClient>, deps);
}
