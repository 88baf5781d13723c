/**
 * `GET /api/widget/config`: what the widget needs before it draws (colour, position, greeting,
 * pre-chat fields, whether the team is within business hours and when it opens next, whether any
 * agent is online, the number for "continue on WhatsApp"). Public and CORS-open; nothing secret is in it.
 */
import Router from '@koa/router';
import { normalizeWaId, WidgetSettingsSchema, type WidgetConfigJson } from '@connectdesk/shared';
import { isOpenNow, nextOpening } from '../../conversations/business-hours.ts';
import type { SettingsRepo } from '../../db/repos/settings-repo.ts';
import type { WhatsAppNumbersRepo } from '../../db/repos/whatsapp-numbers-repo.ts';

export interface WidgetConfigDeps {
  settings: Pick<SettingsRepo, 'get'>;
  numbers: Pick<WhatsAppNumbersRepo, 'defaultNumber'>;
  siteName: string;
  /** Whether any agent is online right now (realtime/presence.ts). */
  presence: { agentsOnline(): boolean };
  now?: () => Date;
}

async function widgetConfig(deps: WidgetConfigDeps): Promise<WidgetConfigJson> {
  const { business_hours, ...settings } = await deps.settings.get('widget', WidgetSettingsSchema);
  const number = await deps.numbers.defaultNumber();
  const now = deps.now?.() ?? new Date();
  return {
    ...settings,
    site_name: deps.siteName,
    online: isOpenNow(business_hours, now),
    agents_online: deps.presence.agentsOnline(),
    next_open_at: nextOpening(business_hours, now)?.toISOString() ?? null,
    whatsapp_number: normalizeWaId(number?.displayPhoneNumber),
  };
}

export function widgetConfigRoutes(deps: WidgetConfigDeps): Router {
  const router = new Router();
  router.get('/api/widget/config', async (ctx) => {
    // Short-lived: "online" follows the clock and owners expect their changes to show quickly.
    ctx.set('Cache-Control', 'public, max-age=30');
    ctx.body = await widgetConfig(deps);
  });
  return router;
}
