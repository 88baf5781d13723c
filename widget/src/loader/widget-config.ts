/** GET /api/widget/config, with the script tag's data-* options applied on top. */
import type { WidgetConfigJson } from '@connectdesk/shared';
import type { ScriptOptions } from './script-options.ts';

export const DEFAULT_CONFIG: WidgetConfigJson = {
  site_name: '',
  color: '#0b57d0',
  position: 'right',
  greeting: 'Hi! How can we help you today?',
  away_message: 'We are away right now. Leave a message and we will get back to you.',
  ask_name: false,
  ask_email: false,
  ask_whatsapp: true,
  whatsapp_handoff: true,
  online: true,
  whatsapp_number: null,
};

export async function loadConfig(opts: ScriptOptions, fetchFn: typeof fetch): Promise<WidgetConfigJson> {
  let server: Partial<WidgetConfigJson> = {};
  try {
    const q = opts.siteKey ? `?site_key=${encodeURIComponent(opts.siteKey)}` : '';
    const res = await fetchFn(`${opts.base}/api/widget/config${q}`, { credentials: 'omit' });
    if (res.ok) server = (await res.json()) as Partial<WidgetConfigJson>;
  } catch {
    // Server unreachable: draw the launcher with defaults; the socket retries later.
  }
  const merged: WidgetConfigJson = { ...DEFAULT_CONFIG, ...server };
  if (opts.color) merged.color = opts.color;
  if (opts.position) merged.position = opts.position;
  if (opts.greeting) merged.greeting = opts.greeting;
  if (!/^#[0-9a-fA-F]{6}$/.test(merged.color)) merged.color = DEFAULT_CONFIG.color;
  return merged;
}
