/**
 * Settings for reports: the satisfaction survey on or off (on by default), and the WhatsApp rates
 * per calling code and pricing category the cost estimate uses. Everyone may read them; admins
 * change them.
 */
import Router from '@koa/router';
import { SatisfactionSettingsSchema, WhatsAppRatesSchema } from '@connectdesk/shared';
import type { SettingsRepo } from '../../db/repos/settings-repo.ts';
import { requireAdminRole } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withBody } from '../middleware/validate.ts';

export const SATISFACTION_SETTINGS_KEY = 'satisfaction';
export const WHATSAPP_RATES_KEY = 'whatsapp_rates';

export function adminReportSettingsRoutes(deps: { settings: SettingsRepo }): Router {
  const router = new Router({ prefix: '/admin/api/settings' });
  const read = requireScope('settings', 'reports');
  const write = requireScope('settings');

  router.get('/satisfaction', read, async (ctx) => {
    ctx.body = { settings: await deps.settings.get(SATISFACTION_SETTINGS_KEY, SatisfactionSettingsSchema) };
  });
  router.put(
    '/satisfaction',
    write,
    requireAdminRole(),
    jsonBody('4kb'),
    withBody(SatisfactionSettingsSchema, async (ctx, settings) => {
      await deps.settings.set(SATISFACTION_SETTINGS_KEY, settings);
      ctx.body = { settings };
    }),
  );

  router.get('/whatsapp-rates', read, async (ctx) => {
    ctx.body = { rates: await deps.settings.get(WHATSAPP_RATES_KEY, WhatsAppRatesSchema) };
  });
  router.put(
    '/whatsapp-rates',
    write,
    requireAdminRole(),
    jsonBody('128kb'),
    withBody(WhatsAppRatesSchema, async (ctx, rates) => {
      await deps.settings.set(WHATSAPP_RATES_KEY, rates);
      ctx.body = { rates };
    }),
  );

  return router;
}
