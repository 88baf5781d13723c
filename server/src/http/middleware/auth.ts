/**
 * Agents authenticate with the session cookie (the admin app) or `Authorization: Bearer <api token>`
 * (scripts). Cookie-authenticated state changes must come from our own origin (CSRF).
 */
import type { Context, Middleware } from 'koa';
import type { ApiScope } from '@connectdesk/shared';
import type { AuthService } from '../../auth/auth-service.ts';
import type { User } from '../../db/repos/users-repo.ts';
import { AppError, unauthorized } from '../../errors.ts';
import { SESSION_COOKIE } from '../../auth/session-cookie.ts';
import { originMatches, requestOrigin } from '../../requests/request-origin.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AgentState = { user: User; via: 'session'; sessionId: string } | { user: User; via: 'token'; tokenId: string; scopes: ApiScope[] };

/**
 * This server's own origin as the client addressed it (Koa 3's ctx.origin is the Origin header).
 * `ctx.app.proxy` is on when any proxy is trusted; by the time this runs the forwarded headers of
 * a peer that is not one were dropped (http/client-address.ts), so only a trusted proxy's count.
 */
export function selfOrigin(ctx: Context): string {
  return requestOrigin(ctx.req, ctx.app.proxy) ?? `${ctx.protocol}://${ctx.host}`;
}

/** Origins allowed for cookie-authenticated requests: our own, and PUBLIC_URL when set. */
export function isSameOrigin(ctx: Context, origin: string | undefined, publicUrl: string | null): boolean {
  return originMatches(origin, selfOrigin(ctx), publicUrl);
}

/**
 * Whether `origin` is exactly ours — scheme, host and port — as the client addressed us (`self`)
 * or as PUBLIC_URL says. `null` (sandboxed frames, some redirects) and anything unparsable never are.
 */
/**
 * The origin a request claims: the Origin header when present — `null` stays `null` and is never
 * ours, whatever the Referer says — else the Referer's origin (some clients send only that).
 */
export function originFromHeaders(headers: { origin?: string | string[]; referer?: string | string[] }): string | undefined {
  const origin = Array.isArray(headers.origin) ? headers.origin[0] : headers.origin;
  if (origin !== undefined) return origin;
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
      const grant = m ? await auth.apiTokenFor(m[1]) : null;
      if (!grant) throw new AppError('unauthorized', 'invalid, expired or revoked API token');
      ctx.state.agent = { user: grant.user, via: 'token', tokenId: grant.tokenId, scopes: grant.scopes } satisfies AgentState;
      return next();
    }
    const session = await auth.sessionFor(ctx.cookies.get(SESSION_COOKIE));
    if (!session) throw unauthorized('sign in first (session missing or expired)');
    if (!SAFE_METHODS.has(ctx.method) && !isSameOrigin(ctx, originFromHeaders(ctx.headers), publicUrl)) {
      throw new AppError('bad_origin', 'cross-origin request refused');
    }
    ctx.state.agent = { user: session.user, via: 'session', sessionId: session.sessionId } satisfies AgentState;
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

export function agentStateOf(ctx: Context): AgentState {
  return ctx.state.agent as AgentState;
}
