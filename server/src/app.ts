/**
 * createApp(deps): the Koa application. It never listens, so tests and main.ts wrap it.
 * Order: security headers → errors → request log → public routes → admin API (auth) → static apps.
 */
import Koa, { type Middleware } from 'koa';
import Router from '@koa/router';
import type { AuthService } from './auth/auth-service.ts';
import type { Config } from './config.ts';
import type { ChatService } from './conversations/chat-service.ts';
import { AppError } from './errors.ts';
import { newId } from './ids.ts';
import type { Logger } from './logger.ts';
import { requireAgent } from './http/middleware/auth.ts';
import { errorHandler } from './http/middleware/errors.ts';
import { securityHeaders } from './http/middleware/security-headers.ts';
import { adminConversationRoutes } from './http/routes/admin-conversations.ts';
import { adminSessionRoutes } from './http/routes/admin-session.ts';
import { healthRoutes, type Readiness } from './http/routes/health.ts';
import { publicMessageRoutes } from './http/routes/public-messages.ts';
import { webhookVerifyRoutes } from './http/routes/webhook-verify.ts';
import { widgetRoutes } from './http/routes/widget-routes.ts';
import type { StaticAssets } from './http/static-assets.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  auth: AuthService;
  chat: ChatService;
  readiness: Readiness;
  widgetAssets: StaticAssets;
  adminAssets: StaticAssets;
  version: string;
  /** Public routers contributed by other modules (webhook intake, media...). */
  publicRouters?: Router[];
  /** Routers under /admin/api that need a signed-in agent. */
  adminRouters?: Router[];
  /** The sandbox (sandbox mode only). */
  sandbox?: Middleware | null;
  onWebhookVerified?: () => void;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  app.silent = true;

  app.use(securityHeaders());
  app.use(errorHandler(deps.logger));
  app.use(async (ctx, next) => {
    const start = performance.now();
    ctx.state.log = deps.logger.child({ req: newId().slice(-8) });
    await next();
    const elapsed = performance.now() - start;
    ctx.set('Server-Timing', `app;dur=${elapsed.toFixed(1)}`);
    const ms = Math.round(elapsed);
    if (ctx.status >= 500) ctx.state.log.error({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    else ctx.state.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
  });

  const use = (r: Router) => app.use(r.routes()).use(r.allowedMethods());
  use(healthRoutes(deps.readiness, { mode: deps.config.mode, version: deps.version }));
  use(webhookVerifyRoutes({ verifyToken: deps.config.whatsapp.verifyToken, onVerified: deps.onWebhookVerified }));
  use(publicMessageRoutes(deps.chat));
  for (const r of deps.publicRouters ?? []) use(r);
  if (deps.sandbox) app.use(deps.sandbox);

  use(adminSessionRoutes(deps.auth, deps.config.publicUrl));
  const guard = requireAgent(deps.auth, deps.config.publicUrl);
  app.use((ctx, next) => (ctx.path.startsWith('/admin/api/') ? guard(ctx, next) : next()));
  use(adminConversationRoutes(deps.chat));
  for (const r of deps.adminRouters ?? []) use(r);

  use(widgetRoutes(deps.widgetAssets, { publicUrl: deps.config.publicUrl, siteName: deps.config.siteName }));
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/admin') return ctx.redirect('/admin/');
    if (!ctx.path.startsWith('/admin/') || ctx.path.startsWith('/admin/api/')) return next();
    const rel = ctx.path.slice('/admin/'.length);
    if (rel && deps.adminAssets.serve(ctx, rel)) return;
    if (rel.startsWith('assets/')) return next();
    // The SPA: every other /admin/ path gets index.html.
    if (!deps.adminAssets.serve(ctx, 'index.html', { maxAge: 0 })) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = 'The admin app is not built yet: run `pnpm build`.';
    }
  });

  app.use(async (ctx) => {
    if (ctx.path.startsWith('/api/') || ctx.path.startsWith('/admin/api/') || ctx.path.startsWith('/sandbox/')) {
      throw new AppError('not_found', `no route for ${ctx.method} ${ctx.path}`);
    }
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'Not found';
  });
  return app;
}
