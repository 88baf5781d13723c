/**
 * Agents authenticate with the session cookie (the admin app) or `Authorization: Bearer <api token>`
 * (scripts). Cookie-authenticated state changes must come from our own origin (CSRF).
 */
import type { Context, Middleware } from 'koa';
import type { AuthService } from '../../auth/auth-service.ts';
import type { User } from '../../db/repos/users-repo.ts';
import { AppError, unauthorized } from '../../errors.ts';

export const SESSION_COOKIE = 'cd_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AgentState {
  user: User;
  via: 'session' | 'token';
}

/** This server's own origin as the client addressed it (Koa 3's ctx.origin is the Origin header). */
export function selfOrigin(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`;
}

/** Origins allowed for cookie-authenticated requests: our own, and PUBLIC_URL when set. */
export function isSameOrigin(ctx: Context, origin: string | undefined, publicUrl: string | null): boolean {
  if (!origin) return false;
  if (origin === selfOrigin(ctx)) return true;
  if (publicUrl && origin === new URL(publicUrl).origin) return true;
  return false;
}

export function originFromHeaders(headers: { origin?: string | string[]; referer?: string | string[] }): string | undefined {
  const origin = Array.isArray(headers.origin) ? headers.origin[0] : headers.origin;
  if (origin && origin !== 'null') return origin;
  const referer = Array.isArray(headers.referer) ? headers.referer[0] : headers.referer;
  if (referer) {
    try {
      return new URL(referer).origin;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function requireAgent(auth: AuthService, publicUrl: string | null): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const user = m ? await auth.userForApiToken(m[1]) : null;
      if (!user) throw new AppError('unauthorized', 'invalid or revoked API token');
      ctx.state.agent = { user, via: 'token' } satisfies AgentState;
      return next();
    }
    const user = await auth.userForSession(ctx.cookies.get(SESSION_COOKIE));
    if (!user) throw unauthorized('sign in first (session missing or expired)');
    if (!SAFE_METHODS.has(ctx.method) && !isSameOrigin(ctx, originFromHeaders(ctx.headers), publicUrl)) {
      throw new AppError('bad_origin', 'cross-origin request refused');
    }
    ctx.state.agent = { user, via: 'session' } satisfies AgentState;
    return next();
  };
}

export function requireAdminRole(): Middleware {
  return async (ctx, next) => {
    const agent = ctx.state.agent as AgentState | undefined;
    if (agent?.user.role !== 'admin') throw new AppError('forbidden', 'only admins may do this');
    return next();
  };
}

export function agentOf(ctx: Context): User {
  return (ctx.state.agent as AgentState).user;
}
