/**
 * createApp(deps): the Koa application. It never listens, so tests and main.ts wrap it.
 * Order: client address → security headers → errors → request id and route → CORS (public visitor API only) →
 * public routes → admin API (auth) → static apps.
 */
import Koa, { type Middleware } from 'koa';
import Router from '@koa/router';
import type { AuthService } from './auth/auth-service.ts';
import type { Config } from './config.ts';
import type { ChatService } from './conversations/chat-service.ts';
import { AppError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { ClientAddresses } from './requests/client-address.ts';
import { clientAddress } from './http/middleware/client-address.ts';
import type { TrafficLimits } from './limits/traffic-limits.ts';
import { requireAgent } from './http/middleware/auth.ts';
import { errorHandler } from './http/middleware/errors.ts';
import { fallbackRoute } from './http/access-log.ts';
import { requestInfo } from './requests/request-id.ts';
import { publicCors } from './http/middleware/public-cors.ts';
import { assertEveryRouteScoped } from './http/middleware/scopes.ts';
import { securityHeaders } from './http/middleware/security-headers.ts';
import { adminConversationRoutes } from './http/routes/admin-conversations.ts';
import { adminSessionRoutes } from './http/routes/admin-session.ts';
import { healthRoutes, type Readiness } from './http/routes/health.ts';
import { assertEveryRouteDocumented, openApiRoutes } from './http/routes/openapi.ts';
import { publicMessageRoutes } from './http/routes/public-messages.ts';
import { webhookVerifyRoutes } from './http/routes/webhook-verify.ts';
import { widgetRoutes } from './http/routes/widget-routes.ts';
import type { StaticAssets } from './http/static-assets.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  auth: AuthService;
  chat: ChatService;
  /** Who the client is behind trusted proxies (every per-IP limit keys on it). */
  clientAddresses: ClientAddresses;
  /** Per-address and per-visitor limits on visitor traffic. */
  limits: TrafficLimits;
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

/** The path template of the route that answered (`/admin/api/conversations/:id`), or its area. */
function routeOf(ctx: Koa.Context): string {
  const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof matched === 'string' ? matched : fallbackRoute(ctx.path);
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  app.silent = true;

  app.use(clientAddress(deps.clientAddresses));
  app.use(securityHeaders());
  app.use(errorHandler(deps.logger));
  // The request's id (http/request-id.ts) for handlers and their logs; the route that answered,
  // for the access log (http/access-log.ts, which writes the line once the response is done).
  app.use(async (ctx, next) => {
    const start = performance.now();
    const request = requestInfo(ctx.req);
    ctx.state.requestId = request.id;
    ctx.state.log = deps.logger.child({ requestId: request.id });
    try {
      await next();
    } finally {
      request.route = routeOf(ctx);
    }
    ctx.set('Server-Timing', `app;dur=${(performance.now() - start).toFixed(1)}`);
  });

  app.use(publicCors());

  // Every route is described in the OpenAPI document (shared/src/contract/routes.ts); checked below.
  const registered: Router[] = [];
  const use = (r: Router) => {
    registered.push(r);
    app.use(r.routes()).use(r.allowedMethods());
  };
  use(openApiRoutes());
  use(healthRoutes(deps.readiness, { mode: deps.config.mode, version: deps.version }));
  use(webhookVerifyRoutes({ verifyToken: deps.config.whatsapp.verifyToken, onVerified: deps.onWebhookVerified }));
  use(publicMessageRoutes(deps.chat, deps.limits));
  for (const r of deps.publicRouters ?? []) use(r);
  if (deps.sandbox) app.use(deps.sandbox);

  use(adminSessionRoutes(deps.auth, deps.config.publicUrl));
  const guard = requireAgent(deps.auth, deps.config.publicUrl);
  app.use((ctx, next) => (ctx.path.startsWith('/admin/api/') ? guard(ctx, next) : next()));
  // Every admin route says what an API token needs to reach it; a route that does not is a bug.
  const adminRouters = [adminConversationRoutes(deps.chat), ...(deps.adminRouters ?? [])];
  assertEveryRouteScoped(adminRouters);
  for (const r of adminRouters) use(r);

  use(widgetRoutes(deps.widgetAssets, { publicUrl: deps.config.publicUrl, siteName: deps.config.siteName }));
  assertEveryRouteDocumented(registered);
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
