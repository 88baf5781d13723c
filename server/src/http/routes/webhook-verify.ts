/** Meta's verification handshake: `GET /api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function webhookVerifyRoutes(opts: { verifyToken: string; onVerified?: () => void }): Router {
  const router = new Router();
  router.get('/api/whatsapp/webhook', (ctx) => {
    const mode = ctx.query['hub.mode'];
    const token = ctx.query['hub.verify_token'];
    const challenge = ctx.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && safeEqual(token, opts.verifyToken) && typeof challenge === 'string' && challenge.length <= 256) {
      opts.onVerified?.();
      ctx.type = 'text/plain';
      ctx.body = challenge;
      return;
    }
    ctx.status = 403;
    ctx.type = 'text/plain';
    ctx.body = 'Forbidden';
  });
  return router;
}
