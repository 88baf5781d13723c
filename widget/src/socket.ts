/**
 * The widget's one socket: the `/visitor` namespace, WebSocket first with HTTP long-polling as
 * the fallback when WebSockets are blocked, reconnecting with jittered exponential backoff capped at 4 s.
 */
import { io, type Socket } from 'socket.io-client';
import type { VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';

export type VisitorSocket = Socket<VisitorServerToClient, VisitorClientToServer>;

/** What an acknowledged event's reply is (socket.io-client types `timeout().emitWithAck()` as `any`). */
export type AckReply<E extends keyof VisitorClientToServer> = Parameters<NonNullable<Parameters<VisitorClientToServer[E]>[1]>>[0];

export function visitorSocket(base: string, auth: () => { visitor_token?: string }): VisitorSocket {
  const url = new URL(base);
  return io(`${url.origin}/visitor`, {
    path: `${url.pathname.replace(/\/$/, '')}/socket.io`,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    auth: (cb) => cb(auth()),
    autoConnect: false,
    reconnectionDelay: 1000,
    // Capped low so a visitor is back within ~5 s of the server returning (jitter spreads the herd).
    reconnectionDelayMax: 4000,
    randomizationFactor: 0.5,
    withCredentials: false,
  });
}
