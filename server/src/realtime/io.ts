/** socket.io on the same HTTP server as Koa: `/visitor` for widgets, `/admin` for agents. */
import type http from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { AdminClientToServer, AdminServerToClient, VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';
import { attachAdminNamespace, type AdminNamespaceDeps } from './admin-namespace.ts';
import { attachVisitorNamespace, type VisitorNamespaceDeps } from './visitor-namespace.ts';

/** `adapter`: the Redis adapter when REDIS_URL is set (scale-out); in-memory otherwise. */
export function createIo(server: http.Server, opts: { adapter?: ServerOptions['adapter'] } = {}): Server {
  return new Server(server, {
    ...(opts.adapter ? { adapter: opts.adapter } : {}),
    path: '/socket.io',
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

export function attachNamespaces(io: Server, deps: VisitorNamespaceDeps & AdminNamespaceDeps): void {
  attachVisitorNamespace(io.of('/visitor') as never as import('socket.io').Namespace<VisitorClientToServer, VisitorServerToClient>, deps);
  attachAdminNamespace(io.of('/admin') as never as import('socket.io').Namespace<AdminClientToServer, AdminServerToClient>, deps);
}
