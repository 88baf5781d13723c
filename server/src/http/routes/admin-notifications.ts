/**
 * The agent's own notification preferences (desktop, sound, e-mail, idle minutes before away), the
 * unread counts the server computes for them, and the team's "unanswered after N minutes" setting.
 */
import Router from '@koa/router';
import { AgentPreferencesPatchSchema, NotificationSettingsBodySchema, NotificationSettingsSchema } from '@connectdesk/shared';
import type { AgentPreferencesRepo, StoredPreferences } from '../../db/repos/agent-preferences-repo.ts';
import type { SettingsRepo } from '../../db/repos/settings-repo.ts';
import type { UnreadCounts } from '../../notifications/unread-counts.ts';
import { NOTIFICATION_SETTINGS_KEY } from '../../notifications/unanswered-alerts.ts';
import { agentOf, requireAdminRole } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { anyCaller, requireScope, sessionOnly } from '../middleware/scopes.ts';
import { withBody } from '../middleware/validate.ts';

export interface AdminNotificationsDeps {
  preferences: AgentPreferencesRepo;
  settings: SettingsRepo;
  unread: UnreadCounts;
  /** SMTP_URL is set: e-mail notifications can be sent at all. */
  emailConfigured: boolean;
  /** The team's settings changed (the e-mail worker looks again at the new threshold). */
  onSettingsChanged: () => void;
}

function preferencesJson(p: StoredPreferences) {
  return { desktop: p.desktop, sound: p.sound, email: p.email, away_after_minutes: p.away_after_minutes };
}

export function adminNotificationRoutes(deps: AdminNotificationsDeps): Router {
  const router = new Router({ prefix: '/admin/api' });

  router.get('/me/preferences', anyCaller(), async (ctx) => {
    ctx.body = { preferences: preferencesJson(await deps.preferences.get(agentOf(ctx).id)), email_configured: deps.emailConfigured };
  });

  router.patch(
    '/me/preferences',
    sessionOnly('change notification preferences'),
    jsonBody('4kb'),
    withBody(AgentPreferencesPatchSchema, async (ctx, patch) => {
      const updated = await deps.preferences.update(agentOf(ctx).id, patch);
      ctx.body = { preferences: preferencesJson(updated), email_configured: deps.emailConfigured };
    }),
  );

  router.get('/unread', requireScope('conversations:read'), async (ctx) => {
    ctx.body = { unread: await deps.unread.forAgent(agentOf(ctx).id) };
  });

  router.get('/settings/notifications', requireScope('settings'), async (ctx) => {
    ctx.body = { settings: await deps.settings.get(NOTIFICATION_SETTINGS_KEY, NotificationSettingsSchema), email_configured: deps.emailConfigured };
  });

  router.put(
    '/settings/notifications',
    requireScope('settings'),
    requireAdminRole(),
    jsonBody('4kb'),
    withBody(NotificationSettingsBodySchema, async (ctx, settings) => {
      await deps.settings.set(NOTIFICATION_SETTINGS_KEY, settings);
      deps.onSettingsChanged();
      ctx.body = { settings, email_configured: deps.emailConfigured };
    }),
  );

  return router;
}
