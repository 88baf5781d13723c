/**
 * The admin app on a 375×667 phone: a menu reaches every page, nothing is wider than the screen,
 * the header does not overlap itself, the list and the conversation are separate screens with a
 * way back, the composer stays above the on-screen keyboard, and the app is installable.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { openAdmin, phoneSends, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

const PHONE = { width: 375, height: 667 };

/** Boxes of the header's parts must not overlap and must fit the screen. */
async function headerLayout(page: Page) {
  return page.evaluate(() => {
    const box = (sel: string) => {
      const el = document.querySelector(sel);
      if (!el || getComputedStyle(el).display === 'none') return null;
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    return { brand: box('.brand'), menu: box('.menu-button'), end: box('.topbar-end'), bar: box('.topbar') };
  });
}

/** Widths that would mean a page is cut off or scrolls sideways. */
function widths(page: Page) {
  return page.evaluate(() => {
    const main = document.querySelector('main')!;
    return { doc: document.documentElement.scrollWidth, main: main.scrollWidth, mainBox: main.clientWidth };
  });
}

describe('admin on a phone', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  it('reaches every page from the menu, none wider than the screen, with a header that does not overlap', async () => {
    await phoneSends(s, '447700900401', { type: 'text', text: { body: 'Hello from a phone' } });
    const { page, errors, context } = await openAdmin(browser, s, PHONE);
    await signIn(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = page.getByRole('button', { name: /^Menu/ });
    expect(await nav.isVisible()).toBe(false);

    const pages = [
      { link: 'Inbox', heading: 'Inbox' },
      { link: 'Templates', heading: 'Templates' },
      { link: 'Settings', heading: 'Settings' },
      { link: 'Go-live checklist', heading: 'Go-live checklist' },
      { link: 'Simulated phones', heading: 'Simulated phones' },
    ];
    for (const p of pages) {
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      if (p.link === 'Inbox') await screenshot(page, 'admin-phone-menu');
      await nav.getByRole('link', { name: p.link }).click();
      await page.getByRole('heading', { name: p.heading, level: 1 }).waitFor({ state: 'attached' });
      expect(await nav.isVisible()).toBe(false); // the menu closes on navigation
      await page.waitForLoadState('networkidle');
      const w = await widths(page);
      expect(w.doc, `${p.link}: page width`).toBeLessThanOrEqual(PHONE.width);
      expect(w.main, `${p.link}: content width`).toBeLessThanOrEqual(w.mainBox);
      const h = await headerLayout(page);
      for (const part of [h.brand, h.menu, h.end]) {
        expect(part!.left).toBeGreaterThanOrEqual(0);
        expect(part!.right).toBeLessThanOrEqual(PHONE.width);
      }
      expect(h.brand!.right).toBeLessThanOrEqual(h.menu!.left);
      expect(h.menu!.right).toBeLessThanOrEqual(h.end!.left);
      await screenshot(page, `admin-phone-${p.link.toLowerCase().replace(/\W+/g, '-')}`);
    }

    // Settings tabs: each section fits too.
    await menu.click();
    await nav.getByRole('link', { name: 'Settings' }).click();
    for (const tab of ['WhatsApp', 'Widget', 'Team', 'API tokens', 'Canned responses', 'Your account']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForLoadState('networkidle');
      const w = await widths(page);
      expect(w.doc, `Settings → ${tab}`).toBeLessThanOrEqual(PHONE.width);
      expect(w.main, `Settings → ${tab}`).toBeLessThanOrEqual(w.mainBox);
    }

    // Escape closes the menu and gives focus back to its button; Sign out is in the menu.
    await menu.click();
    await nav.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await nav.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('menu-button');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the list and the conversation as separate screens with a back control, and keeps the composer above the keyboard', async () => {
    await phoneSends(s, '447700900402', { type: 'text', text: { body: 'First line' } });
    for (let i = 1; i <= 14; i++) await phoneSends(s, '447700900402', { type: 'text', text: { body: `Message number ${i}` } });
    const { page, errors, context } = await openAdmin(browser, s, PHONE);
    await signIn(page);
    const list = page.getByRole('list', { name: 'Conversation list' });
    const row = list.getByRole('link').filter({ hasText: 'Message number 14' });
    await row.waitFor();
    await row.click();

    const thread = page.getByRole('list', { name: 'Messages' });
    await thread.getByText('Message number 14').waitFor();
    expect(await list.isVisible()).toBe(false);
    const back = page.getByRole('link', { name: 'Inbox', exact: false }).and(page.locator('.back-link'));
    await back.waitFor();
    expect((await widths(page)).doc).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'admin-phone-conversation');

    // The on-screen keyboard takes the bottom 290 px: the app shrinks to the visual viewport, so
    // the message box and the newest message stay in view.
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await page.setViewportSize({ width: PHONE.width, height: PHONE.height - 290 });
    await expect.poll(() => page.evaluate(() => document.documentElement.style.getPropertyValue('--app-height'))).toBe(`${PHONE.height - 290}px`);
    const visible = async (selector: string) =>
      page.evaluate((sel) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.visualViewport!.height + 0.5;
      }, selector);
    await expect.poll(() => visible('#composer-text')).toBe(true);
    await expect.poll(() => visible('.msg-list > li:last-child')).toBe(true);
    await box.fill('Typed above the keyboard');
    await box.press('Enter');
    await thread.getByText('Typed above the keyboard').waitFor();
    await expect.poll(() => visible('.msg-list > li:last-child')).toBe(true);
    await screenshot(page, 'admin-phone-keyboard');
    await page.setViewportSize(PHONE);

    await back.click();
    await list.waitFor();
    expect(await thread.count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/admin/');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is installable: a web app manifest with PNG icons', async () => {
    const { page, errors, context } = await openAdmin(browser, s, PHONE);
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    expect(href).toBe('/admin/manifest.webmanifest');
    const res = await s.fetch(href!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/manifest+json');
    const manifest = (await res.json()) as {
      name: string;
      start_url: string;
      scope: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({ name: 'ConnectDesk', start_url: '/admin/', scope: '/admin/', display: 'standalone' });
    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    expect(pngs.map((i) => i.sizes).sort()).toEqual(['192x192', '512x512', '512x512']);
    expect(pngs.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of pngs) {
      const img = await s.fetch(icon.src);
      expect(img.status, icon.src).toBe(200);
      const bytes = Buffer.from(await img.arrayBuffer());
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      // The PNG header's own width and height match the size the manifest claims.
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(icon.sizes);
      expect(bytes.length).toBeLessThan(20_000);
    }
    // Chromium itself parses it without complaint.
    const cdp = await context.newCDPSession(page);
    const { errors: manifestErrors, url } = (await cdp.send('Page.getAppManifest' as never)) as { errors: unknown[]; url: string };
    expect(url).toBe(`${s.url}/admin/manifest.webmanifest`);
    expect(manifestErrors).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
