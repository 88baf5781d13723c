/** Shared set-up for the widget's browser tests: the built widget, a host page, what it did. */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

const DIST = path.resolve(import.meta.dirname, '../../../widget/dist');

/** The browser tests run against the built bundle (CI runs `pnpm build` before `pnpm test`). */
export function requireWidgetBuild(): void {
  if (!fs.existsSync(path.join(DIST, 'widget.js'))) {
    throw new Error('widget/dist/widget.js is missing: run `pnpm build` (or `pnpm --filter @connectdesk/widget build`) before the browser tests');
  }
}

export interface HostPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Every URL the page requested (HTTP and WebSocket). */
  requests: string[];
  /** Finished HTTP requests with their encoded (on-the-wire) response body size. */
  finished: { url: string; bytes: Promise<number> }[];
}

export async function openHostPage(
  browser: Browser,
  url: string,
  opts: { context?: BrowserContext; contextOptions?: BrowserContextOptions; launcherName?: string } = {},
): Promise<HostPage> {
  const context = opts.context ?? (await browser.newContext(opts.contextOptions));
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`.trim());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  const finished: HostPage['finished'] = [];
  page.on('requestfinished', (r) => {
    const bytes = r.sizes().then((z) => z.responseBodySize);
    // Closing the context before the sizes arrive rejects this; only a test that reads it should see that.
    bytes.catch(() => {});
    finished.push({ url: r.url(), bytes });
  });
  await page.goto(url);
  await page.getByRole('button', { name: opts.launcherName ?? 'Open chat' }).waitFor();
  return { page, context, errors, requests, finished };
}

/** The host page URL with data-* attributes for the script tag. */
export function hostUrl(base: string, attrs: Record<string, string> = {}): string {
  const q = new URLSearchParams(Object.entries(attrs).map(([k, v]) => [`data-${k}`, v]));
  return `${base}/hostile.html${q.size ? `?${q}` : ''}`;
}

const SHOTS = path.resolve(import.meta.dirname, '../../../.tmp');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' });
}

/** Where keyboard focus is: inside the widget (which element) or on the host page. */
export function focusInfo(page: Page): Promise<{ inWidget: boolean; tag: string | null; label: string | null }> {
  return page.evaluate(() => {
    const host = document.querySelector('connectdesk-widget');
    const inner = host?.shadowRoot?.activeElement ?? null;
    return {
      inWidget: document.activeElement === host && inner !== null,
      tag: inner?.tagName.toLowerCase() ?? null,
      label: inner?.getAttribute('aria-label') ?? null,
    };
  });
}
