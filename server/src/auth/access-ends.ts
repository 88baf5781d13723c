/**
 * What must happen beyond the database when access ends: live sockets of the session (sign-out)
 * or of every session of a user (removal, role or password change) are cut at once. The server
 * wires socket.io rooms (across nodes with the Redis adapter); the CLI has no sockets, so a
 * running server finds out from the database within its sweep interval (realtime/session-sweep.ts).
 */
export interface AccessEnds {
  sessionEnded(sessionId: string): void;
  userAccessEnded(userId: string): void;
}

export const noLiveConnections: AccessEnds = {
  sessionEnded() {},
  userAccessEnded() {},
};
