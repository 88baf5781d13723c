/**
 * Sign in / out, `me` and changing one's own password. A new session id on every sign-in;
 * HttpOnly, SameSite=Lax, Secure over HTTPS. Sign-in, like every cookie route that changes state,
 * must come from our own Origin (or Referer): a missing or `null` one is refused (login CSRF).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { ChangePasswordSchema, SessionBodySchema, type UserJson } from '@connectdesk/shared';
import type { AuthService, ClientMeta } from '../../auth/auth-service.ts';
import { SESSION_TTL_MS } from '../../auth/auth-service.ts';
import { AppError } from '../../errors.ts';
import { SESSION_COOKIE } from '../../auth/session-cookie.ts';
import { agentOf, isSameOrigin, originFromHeaders, requireAgent } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { anyCaller, sessionOnly } from '../middleware/scopes.ts';
import { withBody } from '../middleware/validate.ts';

function userJson(u: { id: string; email: string; name: string; role: UserJson['role'] }): UserJson {
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

/** Who is asking: the one place sign-in throttling gets its client address from. */
function clientMeta(ctx: Context): ClientMeta {
  return { ip: ctx.ip, userAgent: ctx.get('user-agent') || null };
}

function setSessionCookie(ctx: Context, token: string): void {
  ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: SESSION_TTL_MS, overwrite: true });
}

export function adminSessionRoutes(auth: AuthService, publicUrl: string | null): Router {
  const router = new Router({ prefix: '/admin/api' });
  const signedIn = requireAgent(auth, publicUrl);

  router.post(
    '/session',
    jsonBody('8kb'),
    withBody(SessionBodySchema, async (ctx, { email, password }) => {
      if (!isSameOrigin(ctx, originFromHeaders(ctx.headers), publicUrl)) {
        throw new AppError('bad_origin', 'sign-in must come from this site (Origin or Referer header)');
      }
      const old = ctx.cookies.get(SESSION_COOKIE);
      if (old) await auth.signOut(old);
      const { user, token } = await auth.signIn(email, password, clientMeta(ctx));
      setSessionCookie(ctx, token);
      ctx.body = { user: userJson(user) };
    }),
  );

  router.delete('/session', signedIn, anyCaller(), async (ctx) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (token) await auth.signOut(token);
    ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: 0, overwrite: true });
    ctx.status = 204;
  });

  // Who is signed in, without a 401 when nobody is (the admin app's start-up probe).
  router.get('/session', async (ctx) => {
    const user = await auth.userForSession(ctx.cookies.get(SESSION_COOKIE));
    ctx.body = { user: user ? userJson(user) : null };
  });

  router.get('/me', signedIn, anyCaller(), async (ctx) => {
    ctx.body = { user: userJson(agentOf(ctx)) };
  });

  // Every other session, socket and API token of this user ends; this browser gets a new session.
  router.put(
    '/me/password',
    signedIn,
    sessionOnly('change passwords'),
    jsonBody('8kb'),
    withBody(ChangePasswordSchema, async (ctx, input) => {
      const { user, token } = await auth.changePassword(agentOf(ctx), input.current_password, input.new_password, clientMeta(ctx));
      setSessionCookie(ctx, token);
      ctx.body = { user: userJson(user) };
    }),
  );

  return router;
}
