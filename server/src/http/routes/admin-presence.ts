/** Who of the team is online, away or offline, and the agent's own away switch. */
import Router from '@koa/router';
import { AgentStatusBodySchema } from '@connectdesk/shared';
import type { AgentPreferencesRepo } from '../../db/repos/agent-preferences-repo.ts';
import type { Presence } from '../../realtime/presence.ts';
import { agentOf } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withBody } from '../middleware/validate.ts';

export function adminPresenceRoutes(deps: { presence: Presence; preferences: AgentPreferencesRepo }): Router {
  const router = new Router({ prefix: '/admin/api' });

  router.get('/presence', requireScope('conversations:read'), async (ctx) => {
    ctx.body = { data: await deps.presence.current() };
  });

  // `away` holds until the agent sets `online` again; `online` still shows away while every tab is idle.
  router.put(
    '/me/status',
    requireScope('conversations:write'),
    jsonBody('1kb'),
    withBody(AgentStatusBodySchema, async (ctx, { status }) => {
      const me = agentOf(ctx).id;
      await deps.preferences.setManualAway(me, status === 'away');
      deps.presence.changed();
      const mine = (await deps.presence.current()).find((a) => a.id === me);
      ctx.body = { status: mine?.status ?? 'offline' };
    }),
  );

  return router;
}
