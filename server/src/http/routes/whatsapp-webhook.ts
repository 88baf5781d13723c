/**
 * Stored webhook deliveries, for admins: `GET /admin/api/whatsapp/webhook-events` (what failed and
 * why), one delivery's body, and `POST …/:id/replay`. Deliveries themselves come in through
 * `whatsapp/webhook-intake.ts`, which node:http serves ahead of Koa.
 */
import Router from '@koa/router';
import { WebhookEventListQuerySchema } from '@connectdesk/shared';
import { iso } from '../../db/json.ts';
import type { WebhookEventsRepo } from '../../db/repos/webhook-events-repo.ts';
import { AppError, notFound } from '../../errors.ts';
import type { WebhookProcessor } from '../../whatsapp/webhook-processor.ts';
import { requireAdminRole } from '../middleware/auth.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withQuery } from '../middleware/validate.ts';

/** Stored deliveries for admins: what failed and why, and a replay once the cause is fixed. */
export function adminWebhookEventRoutes(deps: { events: WebhookEventsRepo; processor: WebhookProcessor }): Router {
  const router = new Router({ prefix: '/admin/api/whatsapp/webhook-events' });
  router.use(requireAdminRole());
  const scoped = requireScope('settings');

  router.get(
    '/',
    scoped,
    withQuery(WebhookEventListQuerySchema, async (ctx, q) => {
      const rows = await deps.events.list({ status: q.status }, q.limit);
      ctx.body = {
        counts: await deps.events.countByStatus(),
        data: rows.map((r) => ({
          id: r.id,
          status: r.status,
          attempts: Number(r.attempts),
          error: r.error,
          received_at: iso(r.received_at),
          processed_at: iso(r.processed_at),
          next_attempt_at: iso(r.next_attempt_at),
        })),
      };
    }),
  );

  router.get('/:id', scoped, async (ctx) => {
    const r = await deps.events.byId(ctx.params.id!);
    if (!r) throw notFound('webhook event');
    ctx.body = { id: r.id, status: r.status, attempts: Number(r.attempts), error: r.error, received_at: iso(r.received_at), body: r.raw_body };
  });

  router.post('/:id/replay', scoped, async (ctx) => {
    if (!(await deps.events.byId(ctx.params.id!))) throw notFound('webhook event');
    if (!(await deps.processor.replay(ctx.params.id!))) throw new AppError('conflict', 'this event is being applied right now');
    ctx.status = 202;
    ctx.body = { ok: true };
  });

  return router;
}
