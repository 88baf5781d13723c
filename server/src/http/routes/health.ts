import Router from '@koa/router';

export interface Readiness {
  /** True once the database is migrated and every service has started. */
  ready(): boolean;
  check(): Promise<{ db: boolean }>;
}

export function healthRoutes(readiness: Readiness, info: { mode: 'live' | 'sandbox'; version: string }): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const { db } = await readiness.check().catch(() => ({ db: false }));
    const ok = readiness.ready() && db;
    ctx.status = ok ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ok, db, mode: info.mode, version: info.version };
  });
  return router;
}
