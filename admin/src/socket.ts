/**
 * The admin app's one socket: namespace `/admin` on the page's own origin (the session cookie and
 * the Origin header authenticate it). Typed with the shared event maps.
 */
import { io, type Socket } from 'socket.io-client';
import type { AdminClientToServer, AdminServerToClient } from '@connectdesk/shared/realtime';

export type AdminSocket = Socket<AdminServerToClient, AdminClientToServer>;

export function connectAdminSocket(origin: string = location.origin): AdminSocket {
  return io(`${origin}/admin`, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}

/** socket.io reports the server's refusal reason as the error message. */
export function isUnauthorizedError(err: Error): boolean {
  return err.message === 'unauthorized' || (err as Error & { data?: { code?: string } }).data?.code === 'unauthorized';
}
