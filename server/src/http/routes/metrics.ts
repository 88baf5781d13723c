/**
 * `GET /metrics`: Prometheus text format, for whoever holds METRICS_TOKEN (`Authorization: Bearer
 * <token>`); a missing or wrong token gets 401. Without METRICS_TOKEN the endpoint is off: 404,
 * saying how to turn it on. The comparison takes the same time whatever the guess.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { AppError } from '../../errors.ts';

export interface MetricsRouteOptions {
  /** METRICS_TOKEN; null: the endpoint is off. */
  token: string | null;
  render: () => Promise<{ contentType: string; body: string }>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsRoutes(opts: MetricsRouteOptions): Router {
  const router = new Router();
  const expected = opts.token === null ? null : digest(opts.token);
  router.get('/metrics', async (ctx) => {
    if (expected === null) throw new AppError('not_found', 'metrics are off: set METRICS_TOKEN to serve them at /metrics');
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1];
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthorized', presented ? 'wrong metrics token' : 'send the metrics token as Authorization: Bearer <METRICS_TOKEN>');
    }
    const { contentType, body } = await opts.render();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
