/**
 * `/admin`: agents. The session cookie is checked together with the Origin header — compared in
 * full (scheme, host, port) with our own origin or PUBLIC_URL — so another site cannot open a
 * socket with an agent's cookie (cross-site WebSocket hijacking). Handshakes count per client
 * address; a signed-in agent within its fair share still gets in when the address is busy
 * (limits/fair-limit.ts). Each socket joins a room for its agent and one for its session, so
 * ending access disconnects it on every node (admin-access-ends.ts).
 */
import type { Namespace, Socket } from 'socket.io';
import { AdminIdleSchema, AdminTypingSchema, type AdminClientToServer, type AdminServerToClient } from '@connectdesk/shared';
import type { AuthService } from '../auth/auth-service.ts';
import type { ChatService } from '../conversations/chat-service.ts';
import type { ClientAddresses } from '../requests/client-address.ts';
import type { TrafficLimits } from '../limits/traffic-limits.ts';
import type { Logger } from '../logger.ts';
import type { UnreadCounts } from '../notifications/unread-counts.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';
import { originMatches, requestOrigin } from '../requests/request-origin.ts';
import { guardMiddleware } from './guard-middleware.ts';
import { onValidEvent } from './validate-event.ts';
import { AGENTS_ROOM, agentRoom, sessionRoom } from './hub.ts';
import type { Presence } from './presence.ts';

export interface AdminNamespaceDeps {
  auth: AuthService;
  chat: ChatService;
  logger: Logger;
  /** Origins allowed besides the request's own (PUBLIC_URL). */
  publicUrl: string | null;
  limits: TrafficLimits;
  /** Client addresses, and whose X-Forwarded-Proto/-Host say what our own origin is (trusted proxies). */
  addresses: ClientAddresses;
  presence: Presence;
  unread: UnreadCounts;
}

/** A value that is not valid percent-encoding is kept as sent (it then matches no session). */
function decodeCookieValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** What an admin socket carries (kept small: with the Redis adapter it is stored for recovery). */
interface AdminSocketData {
  userId: string;
  sessionId: string;
  /** The tab reported no keyboard or mouse for the agent's away minutes (realtime/presence.ts). */
  idle: boolean;
}

export type AdminSocket = Socket<AdminClientToServer, AdminServerToClient, Record<string, never>, AdminSocketData>;

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeCookieValue(part.slice(i + 1).trim());
  }
  return out;
}

export function attachAdminNamespace(nsp: Namespace<AdminClientToServer, AdminServerToClient>, deps: AdminNamespaceDeps): void {
  nsp.use(
    guardMiddleware(deps.logger, 'admin handshake', async (socket, next) => {
      const { headers } = socket.handshake;
      const origin = headers.origin; // Node keeps one Origin header (a string), never an array
      // Our own origin as the client addressed us: through a proxy only when that proxy is trusted,
      // by the same rule as the HTTP checks (http/client-address.ts).
      const self = requestOrigin(socket.request, deps.addresses.peerTrusted(socket.request));
      if (!originMatches(origin, self, deps.publicUrl)) {
        next(Object.assign(new Error('forbidden origin'), { data: { code: 'bad_origin' } }));
        return;
      }
      const session = await deps.auth.sessionFor(parseCookies(headers.cookie)[SESSION_COOKIE]).catch(() => null);
      const conn = await deps.limits.connections.take(deps.addresses.keyOf(socket.request), session ? `agent:${session.user.id}` : null);
      if (!conn.allowed) {
        next(Object.assign(new Error('too many connections from this address'), { data: { code: 'rate_limited', retry_after: conn.retryAfterSeconds } }));
        return;
      }
      if (!session) {
        next(Object.assign(new Error('unauthorized'), { data: { code: 'unauthorized' } }));
        return;
      }
      (socket as AdminSocket).data = { userId: session.user.id, sessionId: session.sessionId, idle: false };
      next();
    }),
  );

  nsp.on('connection', (s) => {
    const socket = s as AdminSocket;
    const { userId, sessionId } = socket.data;
    void socket.join([AGENTS_ROOM, agentRoom(userId), sessionRoom(sessionId)]);
    // Access that ended between the handshake check and joining the rooms above missed the
    // disconnect sent to those rooms: look once more now that the socket is reachable.
    deps.auth.validSessions([sessionId]).then(
      (valid) => {
        if (!valid.has(sessionId)) socket.disconnect(true);
      },
      (err: unknown) => deps.logger.warn({ err }, 'could not re-check an admin socket session'),
    );
    socket.on(
      'typing',
      onValidEvent(AdminTypingSchema, ({ conversation_id, on }) => {
        deps.chat.agentTyping(conversation_id, on).catch((err) => deps.logger.warn({ err }, 'typing failed'));
      }),
    );
    // This agent's counts and the team's presence now; both follow live.
    deps.unread.forAgent(userId).then(
      (counts) => socket.emit('unread', counts),
      (err: unknown) => deps.logger.warn({ err }, 'could not count unread conversations'),
    );
    socket.emit('presence', { agents: deps.presence.list() });
    deps.presence.changed();
    socket.on(
      'idle',
      onValidEvent(AdminIdleSchema, ({ idle }) => {
        if (socket.data.idle === idle) return;
        socket.data.idle = idle;
        deps.presence.changed();
      }),
    );
    socket.on('disconnect', () => deps.presence.changed());
  });
}
