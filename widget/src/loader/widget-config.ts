/** GET /api/widget/config, with the script tag's data-* options applied on top. */
import type { WidgetConfigJson } from '@connectdesk/shared';
import type { LoaderConfig } from '../contract.ts';
import type { ScriptOptions } from './script-options.ts';

const DEFAULT_COLOR = '#0b57d0';

/** The server's settings; on failure the defaults, or — when `strict` — a rejection. */
export async function loadConfig(opts: ScriptOptions, fetchFn: typeof fetch, strict?: boolean): Promise<LoaderConfig> {
  let server: Partial<LoaderConfig> = {};
  try {
    const q = opts.siteKey ? `?site_key=${encodeURIComponent(opts.siteKey)}` : '';
    // A reload skips the HTTP cache (max-age=30): it runs because things changed.
    const res = await fetchFn(`${opts.base}/api/widget/config${q}`, strict ? { credentials: 'omit', cache: 'no-cache' } : { credentials: 'omit' });
    if (!res.ok) throw new Error(`widget config: HTTP ${res.status}`);
    server = { ...((await res.json()) as Partial<WidgetConfigJson>), fetchedAt: Date.now() };
  } catch (err) {
    if (strict) throw err;
    // Server unreachable: draw the launcher with defaults; the socket retries later.
  }
  const merged: LoaderConfig = { color: DEFAULT_COLOR, position: 'right', ...server };
  if (opts.color) merged.color = opts.color;
  if (opts.position) merged.position = opts.position;
  if (opts.greeting) merged.greeting = opts.greeting;
  if (!/^#[0-9a-fA-F]{6}$/.test(merged.color)) merged.color = DEFAULT_COLOR;
  return merged;
}
