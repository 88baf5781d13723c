/**
 * Templates for agents: `GET /admin/api/templates` → `{ data: TemplateJson[] }` (filters: status,
 * language, name), `POST /admin/api/templates/sync` fetches them from the Cloud API now, and
 * `GET|POST /admin/api/templates/:name/preview` renders a template's text with parameters (POST takes
 * everything a send does: named parameters, header media or location, buttons) and lists what a send
 * with those values would be refused for.
 */
import Router from '@koa/router';
import { TemplateListQuerySchema, TemplatePreviewBodySchema, TemplatePreviewQuerySchema } from '@connectdesk/shared';
import { AppError } from '../../errors.ts';
import type { TemplatesService } from '../../whatsapp/templates-service.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withBody, withQuery } from '../middleware/validate.ts';

export function adminTemplateRoutes(templates: TemplatesService): Router {
  const router = new Router({ prefix: '/admin/api/templates' });
  const scoped = requireScope('templates');

  router.get(
    '/',
    scoped,
    withQuery(TemplateListQuerySchema, async (ctx, q) => {
      ctx.body = { data: await templates.list({ status: q.status || undefined, language: q.language || undefined, name: q.name || undefined }) };
    }),
  );

  router.post('/sync', scoped, async (ctx) => {
    const synced = await templates.sync().catch((err: Error) => {
      throw new AppError('unavailable', `could not fetch the templates from WhatsApp: ${err.message}`);
    });
    ctx.body = { synced, data: await templates.list() };
  });

  router.get(
    '/:name/preview',
    scoped,
    withQuery(TemplatePreviewQuerySchema, async (ctx, q) => {
      const parameters = q.parameters === undefined ? [] : Array.isArray(q.parameters) ? q.parameters : [q.parameters];
      ctx.body = await templates.preview(ctx.params.name!, { language: q.language, parameters });
    }),
  );

  router.post(
    '/:name/preview',
    scoped,
    jsonBody('32kb'),
    withBody(TemplatePreviewBodySchema, async (ctx, b) => {
      ctx.body = await templates.preview(ctx.params.name!, b);
    }),
  );

  return router;
}
