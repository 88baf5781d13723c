/**
 * `POST /api/whatsapp/webhook`: Meta's deliveries. The raw bytes are read (at most 3 MB → 413),
 * the `X-Hub-Signature-256` HMAC is checked over exactly those bytes whenever an app secret is
 * set (missing or wrong → 401, nothing stored), the JSON is checked (→ 400), and the delivery is
 * stored before the 200; it is applied afterwards. Also, for admins, the stored deliveries:
 * `GET /admin/api/whatsapp/webhook-events` and `POST …/:id/replay`.
 */
import Router from '@koa/router';
import getRawBody from 'raw-body';
import { z } from 'zod';
import { WebhookBodySchema } from '@connectdesk/shared';
import { iso } from '../../db/json.ts';
import type { WebhookEventsRepo } from '../../db/repos/webhook-events-repo.ts';
import { AppError, notFound } from '../../errors.ts';
import type { WebhookInbox } from '../../whatsapp/webhook-inbox.ts';
import type { WebhookProcessor } from '../../whatsapp/webhook-processor.ts';
import { isValidSignature } from '../../whatsapp/webhook-signature.ts';
import { requireAdminRole } from '../middleware/auth.ts';
import { parseInput } from '../middleware/validate.ts';

export const WEBHOOK_MAX_BYTES = 3 * 1024 * 1024;

export function whatsappWebhookRoutes(deps: { appSecret: string | null; inbox: WebhookInbox; maxBytes?: number }): Router {
  const router = new Router();
  const limit = deps.maxBytes ?? WEBHOOK_MAX_BYTES;

  router.post('/api/whatsapp/webhook', async (ctx) => {
    const declared = Number(ctx.get('content-length') || NaN);
    if (declared > limit) throw new AppError('payload_too_large', `webhook bodies may be at most ${limit} bytes`);
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { limit, length: Number.isFinite(declared) ? declared : undefined });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') throw new AppError('payload_too_large', `webhook bodies may be at most ${limit} bytes`);
      throw new AppError('validation_failed', `could not read the body: ${(err as Error).message}`);
    }
    if (deps.appSecret !== null && !isValidSignature(raw, ctx.get('x-hub-signature-256') || undefined, deps.appSecret)) {
      throw new AppError('invalid_signature', 'X-Hub-Signature-256 is missing or does not match the body');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('bad_json', 'the body is not valid JSON');
    }
    const body = WebhookBodySchema.safeParse(json);
    if (!body.success) throw new AppError('validation_failed', `not a WhatsApp webhook body: ${body.error.issues[0]?.path.join('.')} ${body.error.issues[0]?.message}`);
    const { stored } = await deps.inbox.accept(raw);
    ctx.status = 200;
    ctx.body = { ok: true, duplicate: !stored };
  });

  return router;
}

const EventsQuery = z.object({
  status: z.enum(['pending', 'processing', 'done', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Stored deliveries for admins: what failed and why, and a replay once the cause is fixed. */
export function adminWebhookEventRoutes(deps: { events: WebhookEventsRepo; processor: WebhookProcessor }): Router {
  const router = new Router({ prefix: '/admin/api/whatsapp/webhook-events' });
  router.use(requireAdminRole());

  router.get('/', async (ctx) => {
    const q = parseInput(EventsQuery, ctx.query);
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
  });

  router.get('/:id', async (ctx) => {
    const r = await deps.events.byId(ctx.params.id!);
    if (!r) throw notFound('webhook event');
    ctx.body = { id: r.id, status: r.status, attempts: Number(r.attempts), error: r.error, received_at: iso(r.received_at), body: r.raw_body };
  });

  router.post('/:id/replay', async (ctx) => {
    if (!(await deps.events.byId(ctx.params.id!))) throw notFound('webhook event');
    if (!(await deps.processor.replay(ctx.params.id!))) throw new AppError('conflict', 'this event is being applied right now');
    ctx.status = 202;
    ctx.body = { ok: true };
  });

  return router;
}
