/** Sign in / out and `me`. A new session id on every sign-in; HttpOnly, SameSite=Lax, Secure over HTTPS. */
import Router from '@koa/router';
import { SessionBodySchema, type SessionBody } from '@connectdesk/shared';
import type { AuthService } from '../../auth/auth-service.ts';
import { SESSION_TTL_MS } from '../../auth/auth-service.ts';
import { AppError } from '../../errors.ts';
import { SESSION_COOKIE, agentOf, isSameOrigin, originFromHeaders, requireAgent } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateBody } from '../middleware/validate.ts';

export function userJson(u: { id: string; email: string; name: string; role: string }) {
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

export function adminSessionRoutes(auth: AuthService, publicUrl: string | null): Router {
  const router = new Router({ prefix: '/admin/api' });

  router.post('/session', jsonBody('8kb'), validateBody(SessionBodySchema), async (ctx) => {
    const origin = originFromHeaders(ctx.headers);
    if (origin && !isSameOrigin(ctx, origin, publicUrl)) throw new AppError('bad_origin', 'cross-origin sign-in refused');
    const { email, password } = ctx.state.input as SessionBody;
    const old = ctx.cookies.get(SESSION_COOKIE);
    if (old) await auth.signOut(old);
    const { user, token } = await auth.signIn(email, password, { ip: ctx.ip, userAgent: ctx.get('user-agent') || null });
    ctx.cookies.set(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
      path: '/',
      maxAge: SESSION_TTL_MS,
      overwrite: true,
    });
    ctx.body = { user: userJson(user) };
  });

  router.delete('/session', requireAgent(auth, publicUrl), async (ctx) => {
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

  router.get('/me', requireAgent(auth, publicUrl), async (ctx) => {
    ctx.body = { user: userJson(agentOf(ctx)) };
  });

  return router;
}
