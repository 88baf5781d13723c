/**
 * `/admin`: agents. The session cookie is checked together with the Origin header, so another
 * site cannot open a socket with an agent's cookie (cross-site WebSocket hijacking).
 */
import type { Namespace } from 'socket.io';
import { z } from 'zod';
import type { AdminClientToServer, AdminServerToClient } from '@connectdesk/shared';
import type { AuthService } from '../auth/auth-service.ts';
import type { ChatService } from '../conversations/chat-service.ts';
import type { Logger } from '../logger.ts';
import { SESSION_COOKIE } from '../http/middleware/auth.ts';
import { AGENTS_ROOM } from './hub.ts';

export interface AdminNamespaceDeps {
  auth: AuthService;
  chat: ChatService;
  logger: Logger;
  /** Origins allowed besides the request's own host (PUBLIC_URL). */
  publicUrl: string | null;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string | null): boolean {
  if (!origin || !host) return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.host === host) return true;
  return Boolean(publicUrl && new URL(publicUrl).origin === o.origin);
}

const TypingSchema = z.object({ conversation_id: z.string().min(1).max(64), on: z.boolean() });

export function attachAdminNamespace(nsp: Namespace<AdminClientToServer, AdminServerToClient>, deps: AdminNamespaceDeps): void {
  nsp.use(async (socket, next) => {
    const { headers } = socket.handshake;
    if (!originAllowed(headers.origin, headers.host, deps.publicUrl)) {
      next(Object.assign(new Error('forbidden origin'), { data: { code: 'bad_origin' } }));
      return;
    }
    const user = await deps.auth.userForSession(parseCookies(headers.cookie)[SESSION_COOKIE]).catch(() => null);
    if (!user) {
      next(Object.assign(new Error('unauthorized'), { data: { code: 'unauthorized' } }));
      return;
    }
    socket.data.user = user;
    next();
  });

  nsp.on('connection', (socket) => {
    void socket.join(AGENTS_ROOM);
    void socket.join(`agent:${(socket.data.user as { id: string }).id}`);
    socket.on('typing', (p: unknown) => {
      const parsed = TypingSchema.safeParse(p);
      if (!parsed.success) return;
      deps.chat.agentTyping(parsed.data.conversation_id, parsed.data.on).catch((err) => deps.logger.warn({ err }, 'typing failed'));
    });
  });
}
