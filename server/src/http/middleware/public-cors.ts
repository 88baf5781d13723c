/**
 * CORS for the public visitor API: the widget runs on customers' sites, so any origin may read
 * and write there — without cookies, which these endpoints never use. Browsers get their preflight
 * (`OPTIONS` with `Access-Control-Request-Method`) answered with 204, and every actual response,
 * errors included, carries `Access-Control-Allow-Origin: *`. Nothing else is cross-origin: not the
 * admin API (cookie sessions), not the webhook (server to server).
 */
import cors from '@koa/cors';
import type { Middleware } from 'koa';

/** Path prefixes of the endpoints the widget and third-party forms call from other origins. */
const PUBLIC_CORS_PATHS = ['/api/messages', '/api/widget/config', '/api/media/', '/api/surveys/', '/widget.js', '/widget/'] as const;

const METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS'];

function isPublicCorsPath(path: string): boolean {
  return PUBLIC_CORS_PATHS.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}

export function publicCors(): Middleware {
  const handle = cors({
    origin: '*',
    credentials: false,
    allowMethods: METHODS,
    allowHeaders: ['Content-Type'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
  return async (ctx, next) => {
    if (!isPublicCorsPath(ctx.path)) return next();
    await handle(ctx, async () => {
      // A plain OPTIONS (no Access-Control-Request-Method) learns the same: what the path accepts.
      if (ctx.method === 'OPTIONS') {
        ctx.status = 204;
        ctx.set('Allow', METHODS.join(', '));
        ctx.set('Access-Control-Allow-Methods', METHODS.join(','));
        ctx.set('Access-Control-Allow-Headers', 'Content-Type');
        return;
      }
      await next();
    });
  };
}
