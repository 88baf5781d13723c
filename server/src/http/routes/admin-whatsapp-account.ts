/**
 * The business account's health for admins: `GET /admin/api/whatsapp/account` (paused sending,
 * numbers with quality, tier and throughput, Meta's account events) and
 * `POST /admin/api/whatsapp/subscription` (subscribe the app to the account's webhooks — the fix
 * the go-live checklist offers).
 */
import Router from '@koa/router';
import { AppError } from '../../errors.ts';
import type { AccountHealth } from '../../whatsapp/account-health.ts';
import { GraphApiError, GraphTransportError } from '../../whatsapp/graph-error.ts';
import { requireAdminRole } from '../middleware/auth.ts';
import { requireScope } from '../middleware/scopes.ts';

export function adminWhatsAppAccountRoutes(health: AccountHealth): Router {
  const router = new Router({ prefix: '/admin/api/whatsapp' });

  router.get('/account', requireScope('settings'), async (ctx) => {
    ctx.body = await health.overview();
  });

  router.post('/subscription', requireScope('settings'), requireAdminRole(), async (ctx) => {
    try {
      ctx.body = await health.subscribe();
    } catch (err) {
      if (err instanceof GraphApiError || err instanceof GraphTransportError) {
        throw new AppError('unavailable', `WhatsApp refused the subscription: ${err instanceof GraphApiError ? `${err.code} ${err.title}` : err.message}`);
      }
      throw err;
    }
  });

  return router;
}
