/**
 * Settings → WhatsApp → Forwarding to the owner's phone: the policy and quiet hours, what was sent
 * to the owner's phone and when (the log), and the state of the queue and the pair budget.
 */
import Router from '@koa/router';
import { OwnerForwardingSchema, pageQuery, type OwnerForwardingStatusJson } from '@connectdesk/shared';
import type { OwnerMessagesRepo } from '../../db/repos/owner-messages-repo.ts';
import type { OwnerSettingsStore } from '../../conversations/owner/settings-store.ts';
import { requireAdminRole } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withBody, withQuery } from '../middleware/validate.ts';

export interface AdminOwnerForwardingDeps {
  settings: OwnerSettingsStore;
  ownerMessages: OwnerMessagesRepo;
  status: () => Promise<OwnerForwardingStatusJson>;
  /** Settings changed: forwards may go (or hold) now. */
  changed: () => void;
}

const LogQuery = pageQuery(200, 50);

export function adminOwnerForwardingRoutes(deps: AdminOwnerForwardingDeps): Router {
  const router = new Router({ prefix: '/admin/api/settings/owner-forwarding' });
  const settings = requireScope('settings');

  router.get('/', settings, async (ctx) => {
    const { settings: value, timeZone } = await deps.settings.current();
    ctx.body = { settings: value, timezone: timeZone };
  });

  router.put(
    '/',
    settings,
    requireAdminRole(),
    jsonBody('8kb'),
    withBody(OwnerForwardingSchema, async (ctx, input) => {
      const saved = await deps.settings.save(input);
      deps.changed();
      ctx.body = { settings: saved.settings, timezone: saved.timeZone };
    }),
  );

  router.get(
    '/log',
    settings,
    withQuery(LogQuery, async (ctx, q) => {
      ctx.body = await deps.ownerMessages.list(q.limit, q.cursor);
    }),
  );

  router.get('/status', settings, async (ctx) => {
    ctx.body = await deps.status();
  });

  return router;
}
