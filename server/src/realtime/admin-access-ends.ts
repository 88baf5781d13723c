/**
 * Ending access reaches live sockets: the session's or the agent's room on `/admin` is told to
 * disconnect. With the Redis adapter the request goes through the same stream as broadcasts, so
 * every node drops those sockets, and nothing broadcast after it reaches them. A server-side
 * disconnect is not recoverable: a reconnect runs the handshake checks again.
 */
import type { Namespace } from 'socket.io';
import type { AccessEnds } from '../auth/access-ends.ts';
import { agentRoom, sessionRoom } from './hub.ts';

export function adminAccessEnds(nsp: Pick<Namespace, 'in'>): AccessEnds {
  return {
    sessionEnded(sessionId) {
      nsp.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    userAccessEnded(userId) {
      nsp.in(agentRoom(userId)).disconnectSockets(true);
    },
  };
}
