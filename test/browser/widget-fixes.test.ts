/**
 * Rough edges of the widget found in a browser walk-through: the message box after a refused file,
 * a host page whose <body> has a CSS transform, `ConnectDesk.open()` before widget.js has arrived
 * (the install snippet's queue stub), the header's connection state, settings fetched again and a
 * quick reconnect after the server comes back, and the dark theme.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, waitFor, type TestServer } from '../support/server.ts';
import { freePort } from '../support/cluster.ts';
import { startHostServer, type HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage, screenshot, type HostPage } from './pages/widget-harness.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';

const PHONE = { width: 375, height: 667 };

async function openChat(p: HostPage) {
  await p.page.getByRole('button', { name: 'Open chat' }).click();
  const box = p.page.getByRole('textbox', { name: 'Message' });
  await box.waitFor();
  return box;
}

/** The header's status line (inside the widget's shadow root). */
function headerStatus(page: Page): Promise<{ text: string; connection: string | null }> {
  return page.evaluate(() => {
    const p = document.querySelector('connectdesk-widget')!.shadowRoot!.querySelector('.ht p')!;
    return { text: p.textContent ?? '', connection: p.getAttribute('data-connection') };
  });
}

describe('widget fixes', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  it('keeps the message box its size after a refused file, and clears the error when the visitor types', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const { page } = p;
    const box = await openChat(p);
    const before = (await box.boundingBox())!;
    expect(before.height).toBeGreaterThanOrEqual(40);
    const fileInput = page.locator('connectdesk-widget input[type=file]');
    expect(await fileInput.getAttribute('aria-label')).toBe('Attach a file');

    await fileInput.setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await page.getByRole('alert').getByText('Send an image, a PDF or a document.').waitFor();
    const afterType = (await box.boundingBox())!;
    expect(afterType.height).toBe(before.height);
    expect(afterType.width).toBeGreaterThan(before.width * 0.9);
    await screenshot(page, 'widget-phone-refused-file');

    await box.pressSequentially('Hi');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);

    await fileInput.evaluate((input: HTMLInputElement) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.pdf', { type: 'application/pdf' }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.getByRole('alert').getByText('Files can be up to 10 MB.').waitFor();
    expect((await box.boundingBox())!.height).toBe(before.height);
    await box.pressSequentially('!');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(await box.inputValue()).toBe('Hi!');
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('queues ConnectDesk.open() made before widget.js arrived (the install snippet), and stays in view on a transformed, scrolled <body>', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Hold widget.js until the page's own script has made its calls.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/widget.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${host.url}/early-calls.html#open`, { waitUntil: 'domcontentloaded' });
    const early = await page.evaluate(() => ({
      early: (window as unknown as { __early: { loaded: boolean } }).__early,
      queued: ((window as unknown as { ConnectDesk: { q: ArrayLike<unknown>[] } }).ConnectDesk.q ?? []).map((a) => Array.from(a)[0]),
    }));
    expect(early).toEqual({ early: { loaded: false }, queued: ['on', 'open'] });
    release();

    // The queued open() opened the chat without a click.
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    await page.evaluate(() => window.scrollTo(0, 2000));
    const view = page.viewportSize()!;
    for (const el of [page.getByRole('dialog'), page.getByRole('button', { name: 'Close chat' }).last()]) {
      const b = (await el.boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(view.width);
      expect(b.y + b.height).toBeLessThanOrEqual(view.height);
    }
    // The launcher is on screen and on top (not under the page) after scrolling the transformed body.
    const launcher = page.locator('connectdesk-widget').locator('button.l');
    const lb = (await launcher.boundingBox())!;
    expect(lb.y + lb.height).toBeLessThanOrEqual(view.height);
    const onTop = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.tagName.toLowerCase(), [lb.x + lb.width / 2, lb.y + lb.height / 2]);
    expect(onTop).toBe('connectdesk-widget');
    expect(await page.evaluate(() => document.querySelector('connectdesk-widget')!.parentElement!.tagName.toLowerCase())).toBe('html');

    // The queued on('message') listener was replayed too.
    await box.fill('Queued listener check');
    await box.press('Enter');
    await page.waitForFunction(() => (window as unknown as { __received: string[] }).__received.includes('Queued listener check'));
    await screenshot(page, 'widget-transformed-body');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('follows the dark theme setting and the system preference', async () => {
    const before = (await s.admin('/admin/api/settings/widget')).body.settings;
    try {
      expect(before.theme).toBe('auto');
      // auto + a dark system → dark panel; auto + light → light panel.
      const dark = await openHostPage(browser, hostUrl(host.url), { contextOptions: { colorScheme: 'dark', viewport: PHONE } });
      await openChat(dark);
      const bg = (page: Page) =>
        page.evaluate(() => getComputedStyle(document.querySelector('connectdesk-widget')!.shadowRoot!.querySelector('.log')!).backgroundColor);
      expect(await bg(dark.page)).toBe('rgb(19, 22, 27)');
      await screenshot(dark.page, 'widget-phone-dark');
      await dark.context.close();
      const light = await openHostPage(browser, hostUrl(host.url), { contextOptions: { colorScheme: 'light' } });
      await openChat(light);
      expect(await bg(light.page)).toBe('rgb(246, 247, 249)');
      await light.context.close();

      // The admin forces dark: dark even on a light system. Bad values are refused.
      expect((await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { ...before, theme: 'purple' } })).status).toBe(400);
      expect((await s.admin('/admin/api/settings/widget')).body.settings.theme).toBe('auto');
      expect((await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { ...before, theme: 'dark' } })).status).toBe(200);
      expect((await (await s.fetch('/api/widget/config')).json()).theme).toBe('dark');
      const forced = await openHostPage(browser, hostUrl(host.url), { contextOptions: { colorScheme: 'light' } });
      await openChat(forced);
      expect(await bg(forced.page)).toBe('rgb(19, 22, 27)');
      expect(forced.errors).toEqual([]);
      await forced.context.close();
    } finally {
      await s.admin('/admin/api/settings/widget', { method: 'PUT', body: before });
    }
  });
});

describe('widget when its server goes away and comes back', () => {
  let port: number;
  let dataDir: string;
  let s: TestServer | null = null;
  let host: HostServer;
  let browser: Browser;

  const start = () => startTestServer({ PORT: String(port) }, { dataDir });

  beforeAll(async () => {
    port = await freePort();
    dataDir = tempDir();
    s = await start();
    host = await startHostServer(s.url);
    const { launchBrowser } = await import('./support/browser.ts');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await s?.stop();
  });

  it('shows the real connection state in the header, reconnects within 5 s of the server returning, and fetches the settings again', async () => {
    const p = await openHostPage(browser, hostUrl(host.url));
    const { page } = p;
    await openChat(p);
    await expect.poll(() => headerStatus(page)).toEqual({ text: 'We reply in a few hours', connection: 'online' });
    await page.getByRole('log').getByText('Hi! How can we help you today?').waitFor();

    // The owner changes the greeting; the open widget does not know yet.
    const before = (await s!.admin('/admin/api/settings/widget')).body.settings;
    expect((await s!.admin('/admin/api/settings/widget', { method: 'PUT', body: { ...before, greeting: 'Welcome back — new settings.' } })).status).toBe(200);
    await s!.stop();
    s = null;
    // Disconnected: the header no longer says the team is there.
    await expect.poll(() => headerStatus(page), { timeout: 10_000 }).toEqual({ text: 'Reconnecting…', connection: 'reconnecting' });
    await page.getByRole('status').getByText('Reconnecting…').waitFor();
    await screenshot(page, 'widget-reconnecting');
    // Stay down long enough for the backoff to reach its cap (attempts ~1 s, 2 s, 4 s, 4 s apart).
    const attempts = p.requests.length;
    await waitFor(() => p.requests.slice(attempts).filter((u) => u.startsWith('ws://') && u.includes('/socket.io/')).length >= 4, {
      timeout: 30_000,
      interval: 250,
      message: 'four reconnection attempts while the server is down',
    });

    s = await start();
    const back = Date.now();
    await waitFor(async () => (await headerStatus(page)).connection === 'online', { timeout: 5_000, interval: 100, message: 'reconnected within 5 s' });
    expect(Date.now() - back).toBeLessThanOrEqual(5_000);
    // Settings are fetched again once it is back.
    await page.getByRole('log').getByText('Welcome back — new settings.').waitFor();
    expect((await headerStatus(page)).text).toBe('We reply in a few hours');
    await p.context.close();
  });
});
