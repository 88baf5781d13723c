/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document of every public and admin route, generated from
 * the schemas in shared/ (shared/src/openapi.ts). At start-up the app checks that every route it
 * registers is described there (`assertEveryRouteDocumented`), so the document cannot fall behind.
 */
import Router from '@koa/router';
import { openApiJson, openApiPath, ROUTES, type RouteSpec } from '@connectdesk/shared';

export interface RegisteredRoute {
  method: string;
  /** As the router registered it (`/admin/api/conversations/:id`). */
  path: string;
}

/** The routers a Koa app uses (`router.routes()` carries its router). */
export function routersOf(app: { middleware: readonly unknown[] }): Router[] {
  const routers = app.middleware.map((m) => (m as { router?: Router }).router).filter((r): r is Router => r !== undefined);
  return [...new Set(routers)];
}

/** The routes registered on these routers (HEAD, answered with GET, and router-wide middleware left out). */
export function registeredRoutes(routers: readonly Router[]): RegisteredRoute[] {
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) =>
      layer.methods
        .filter((m) => m !== 'HEAD')
        .map((m) => ({ method: m.toLowerCase(), path: typeof layer.path === 'string' ? layer.path : String(layer.path) })),
    ),
  );
}

/** Registered routes the document does not describe. */
export function undocumentedRoutes(routers: readonly Router[], routes: readonly RouteSpec[] = ROUTES): RegisteredRoute[] {
  const documented = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`));
  return registeredRoutes(routers).filter((r) => !documented.has(`${r.method} ${openApiPath(r.path)}`));
}

export function assertEveryRouteDocumented(routers: readonly Router[]): void {
  const missing = undocumentedRoutes(routers);
  if (missing.length) {
    throw new Error(
      `routes missing from the API contract (shared/src/contract/routes.ts): ${missing.map((r) => `${r.method.toUpperCase()} ${r.path}`).join(', ')}`,
    );
  }
}

export function openApiRoutes(): Router {
  const router = new Router();
  let document: string | null = null;
  router.get('/api/openapi.json', (ctx) => {
    document ??= openApiJson();
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/json';
    ctx.body = document;
  });
  return router;
}
