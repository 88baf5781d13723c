/**
 * `GET /admin/api/reports/...`: the Reports page's figures (reports/reports-service.ts). Admins
 * see everyone's, or one agent's with `agent_id`; an agent always sees their own (asking for
 * someone else's is refused). The owner's phone is for admins only. Tokens need `reports`.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { CommentsQuerySchema, ReportQuerySchema } from '@connectdesk/shared';
import type { UsersRepo } from '../../db/repos/users-repo.ts';
import { AppError, notFound } from '../../errors.ts';
import type { ReportScope, ReportsService } from '../../reports/reports-service.ts';
import { agentOf, requireAdminRole } from '../middleware/auth.ts';
import { requireScope } from '../middleware/scopes.ts';
import { parseInput } from '../middleware/validate.ts';

export interface AdminReportsDeps {
  reports: ReportsService;
  users: Pick<UsersRepo, 'byId'>;
}

export function adminReportRoutes(deps: AdminReportsDeps): Router {
  const router = new Router({ prefix: '/admin/api/reports' });
  const scope = requireScope('reports');

  async function scopeOf(ctx: Context): Promise<ReportScope> {
    const query = parseInput(ReportQuerySchema, ctx.query);
    const me = agentOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    if (me.role !== 'admin') {
      if (query.agent_id && query.agent_id !== me.id) throw new AppError('forbidden', 'agents see their own figures only');
      return { query, agentId: me.id };
    }
    if (query.agent_id && !(await deps.users.byId(query.agent_id))) throw notFound('agent');
    return { query, agentId: query.agent_id ?? null };
  }

  router.get('/volume', scope, async (ctx) => {
    ctx.body = await deps.reports.volume(await scopeOf(ctx));
  });
  router.get('/response-times', scope, async (ctx) => {
    ctx.body = await deps.reports.responseTimes(await scopeOf(ctx));
  });
  router.get('/agents', scope, async (ctx) => {
    ctx.body = await deps.reports.agents(await scopeOf(ctx));
  });
  router.get('/whatsapp', scope, async (ctx) => {
    ctx.body = await deps.reports.whatsapp(await scopeOf(ctx));
  });
  router.get('/owner-phone', scope, requireAdminRole(), async (ctx) => {
    ctx.body = await deps.reports.ownerPhone(await scopeOf(ctx));
  });
  router.get('/satisfaction', scope, async (ctx) => {
    ctx.body = await deps.reports.satisfaction(await scopeOf(ctx));
  });
  router.get('/satisfaction/comments', scope, async (ctx) => {
    const page = parseInput(CommentsQuerySchema, ctx.query);
    ctx.body = await deps.reports.comments(await scopeOf(ctx), { limit: page.limit, cursor: page.cursor });
  });

  return router;
}
