/**
 * The account's templates from the sandbox's side: `GET /sandbox/templates` (status, quality,
 * category, FLAGGED disable date, LOCKED) and `POST /sandbox/templates/events`, which does to a
 * template what Meta's review and quality systems do and sends the matching webhook:
 * `{ kind: "status", name, language, event: FLAGGED|PAUSED|…, reason?, disable_date? }`,
 * `{ kind: "quality", name, language, score }`, `{ kind: "category", name, language, category,
 * impending?, at? }`.
 */
import Router from '@koa/router';
import type { SandboxContext } from './context.ts';
import { SandboxInputError, badInput } from './errors.ts';
import { readGraphFields } from './request-body.ts';
import { TemplateEventSchema, templateWebhook } from './template-book.ts';

export function templateRoutes(sb: SandboxContext): Router {
  const router = new Router({ prefix: '/sandbox/templates' });

  router.get('/', (ctx) => {
    ctx.body = {
      data: sb.templates.all().map((t) => ({
        id: t.id,
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category,
        parameter_format: t.parameter_format,
        quality_score: t.quality_score,
        disable_date: t.disableDate === null ? null : new Date(t.disableDate).toISOString(),
        locked: t.locked,
      })),
    };
  });

  router.post('/events', async (ctx) => {
    if (!ctx.is('application/json')) throw new SandboxInputError(415, 'unsupported_media_type', 'send the event as application/json');
    const fields = await readGraphFields(ctx, 4096, (message) => badInput(message));
    const parsed = TemplateEventSchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badInput(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
    const change = sb.templates.apply(parsed.data);
    const body = templateWebhook(sb.business.wabaId, change, sb.now());
    const webhook = await sb.sender.send(body).first;
    sb.logger.info({ field: change.field, name: parsed.data.name, language: parsed.data.language }, 'sandbox template event');
    ctx.body = { ...body.entry[0]!.changes[0]!, webhook };
  });

  return router;
}
