/**
 * The widget's one socket: the `/visitor` namespace, WebSocket first with HTTP long-polling as
 * the fallback when WebSockets are blocked, reconnecting with jittered exponential backoff.
 */
import { io, type Socket } from 'socket.io-client';
import type { VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';

export type VisitorSocket = Socket<VisitorServerToClient, VisitorClientToServer>;

export function visitorSocket(base: string, auth: () => { visitor_token?: string }): VisitorSocket {
  const url = new URL(base);
  return io(`${url.origin}/visitor`, {
    path: `${url.pathname.replace(/\/$/, '')}/socket.io`,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    auth: (cb) => cb(auth()),
    autoConnect: false,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 20_000,
    randomizationFactor: 0.5,
    withCredentials: false,
  });
}
