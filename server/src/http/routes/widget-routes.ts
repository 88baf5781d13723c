/** `/widget.js` (the loader, short-cached), `/widget/*` (hashed chunks, immutable) and the demo page `/`. */
import Router from '@koa/router';
import { selfOrigin } from '../middleware/auth.ts';
import type { StaticAssets } from '../static-assets.ts';
import { demoPageHtml } from './demo-page.ts';

export function widgetRoutes(assets: StaticAssets, opts: { publicUrl: string | null; siteName: string }): Router {
  const router = new Router();
  router.get('/widget.js', (ctx) => {
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (!assets.serve(ctx, 'widget.js', { maxAge: 300 })) {
      ctx.status = 503;
      ctx.type = 'text/javascript';
      ctx.body = '/* ConnectDesk widget is not built yet: run `pnpm build` */';
    }
  });
  router.get('/widget/*file', (ctx) => {
    const file = ctx.params.file as string | string[] | undefined;
    const rel = Array.isArray(file) ? file.join('/') : (file ?? '');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (!assets.serve(ctx, rel)) ctx.status = 404;
  });
  router.get('/', (ctx) => {
    const base = opts.publicUrl ?? selfOrigin(ctx);
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = demoPageHtml({ base, siteName: opts.siteName });
  });
  return router;
}
