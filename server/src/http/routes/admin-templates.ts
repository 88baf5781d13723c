/**
 * Templates for agents: `GET /admin/api/templates` → `{ data: TemplateJson[] }` (filters: status,
 * language, name), `POST /admin/api/templates/sync` fetches them from the Cloud API now, and
 * `GET|POST /admin/api/templates/:name/preview` renders a template's text with parameters.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { TemplatesService } from '../../whatsapp/templates-service.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { parseInput } from '../middleware/validate.ts';

const ListQuery = z.object({
  status: z.string().trim().max(32).optional(),
  language: z.string().trim().max(15).optional(),
  name: z.string().trim().max(512).optional(),
});

const Params = z.array(z.string().max(1024)).max(20);
const PreviewQuery = z.object({
  language: z.string().min(2).max(15),
  parameters: z.union([z.string().max(1024), Params]).optional(),
});
const PreviewBody = z.object({ language: z.string().min(2).max(15), parameters: Params.default([]) });

export function adminTemplateRoutes(templates: TemplatesService): Router {
  const router = new Router({ prefix: '/admin/api/templates' });

  router.get('/', async (ctx) => {
    const q = parseInput(ListQuery, ctx.query);
    ctx.body = { data: await templates.list({ status: q.status || undefined, language: q.language || undefined, name: q.name || undefined }) };
  });

  router.post('/sync', async (ctx) => {
    const synced = await templates.sync().catch((err: Error) => {
      throw new AppError('unavailable', `could not fetch the templates from WhatsApp: ${err.message}`);
    });
    ctx.body = { synced, data: await templates.list() };
  });

  router.get('/:name/preview', async (ctx) => {
    const q = parseInput(PreviewQuery, ctx.query);
    const parameters = q.parameters === undefined ? [] : Array.isArray(q.parameters) ? q.parameters : [q.parameters];
    ctx.body = await templates.preview(ctx.params.name!, q.language, parameters);
  });

  router.post('/:name/preview', jsonBody('32kb'), async (ctx) => {
    const b = parseInput(PreviewBody, (ctx.request as { body?: unknown }).body ?? {});
    ctx.body = await templates.preview(ctx.params.name!, b.language, b.parameters);
  });

  return router;
}
