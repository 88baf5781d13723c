/**
 * The widget on a hostile page of another origin: it adds one global and nothing else, cannot be
 * broken by the page's CSS, talks only to its server, logs no errors, stays inside its byte budget
 * before it is opened, works by keyboard alone and fills a phone screen. Screenshots go to .tmp/.
 */
import type { Browser } from 'playwright-core';
import { installSnippet } from '@connectdesk/shared/install-snippet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';
import type { HostServer } from './pages/host-server.ts';
import { focusInfo, hostUrl, openHostPage, screenshot } from './pages/widget-harness.ts';

const BEFORE_OPEN_BUDGET = 5 * 1024;
const FIRST_REPLY_BUDGET = 35 * 1024;

describe('widget isolation, budget and access on a hostile cross-origin page', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  it('adds only ConnectDesk, leaves host globals alone, resists host CSS and talks only to its server', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: { width: 1280, height: 800 } } });
    const { page } = p;
    const launcher = page.getByRole('button', { name: 'Open chat' });
    const box = (await launcher.boundingBox())!;
    expect(box).toMatchObject({ width: 56, height: 56 });
    expect(box.x + box.width).toBe(1280 - 20);
    expect(box.y + box.height).toBe(800 - 20);
    await screenshot(page, 'widget-desktop-closed-en');

    await launcher.click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    const panel = (await page.getByRole('dialog').boundingBox())!;
    expect(panel.width).toBe(370);
    const styles = await page.evaluate(() => {
      const root = document.querySelector('connectdesk-widget')!.shadowRoot!;
      const ta = root.querySelector('textarea')!;
      const cs = getComputedStyle(ta);
      return { fontSize: cs.fontSize, border: cs.borderTopStyle, hostFont: getComputedStyle(root.querySelector('.p')!).fontSize };
    });
    expect(styles).toEqual({ fontSize: '16px', border: 'solid', hostFont: '15px' });
    await screenshot(page, 'widget-desktop-open-en');

    const globals = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown> & { __globalsBefore: string[]; __sentinels: Record<string, unknown> };
      const added = Object.getOwnPropertyNames(window).filter((k) => !w.__globalsBefore.includes(k) && !k.startsWith('__'));
      return {
        added,
        untouched: w.preact === w.__sentinels.preact && w.io === w.__sentinels.io && w.h === w.__sentinels.h,
        api: ['open', 'close', 'identify', 'on'].every((m) => typeof (w.ConnectDesk as Record<string, unknown>)[m] === 'function'),
        hostStyles: document.styleSheets.length,
        title: document.title,
        bodyChildren: Array.from(document.body.children).map((e) => e.tagName.toLowerCase()),
        htmlChildren: Array.from(document.documentElement.children).map((e) => e.tagName.toLowerCase()),
      };
    });
    expect(globals).toEqual({
      added: ['ConnectDesk'],
      untouched: true,
      api: true,
      hostStyles: 1,
      title: 'Hostile host page',
      bodyChildren: ['h1', 'p', 'input', 'div', 'script'],
      // On <html>: a transform on the host's <body> cannot move the fixed launcher and panel.
      htmlChildren: ['head', 'body', 'connectdesk-widget'],
    });

    const origins = new Set(p.requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:')).map((u) => new URL(u).host));
    expect([...origins].sort()).toEqual([new URL(host.url).host, new URL(s.url).host].sort());
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('transfers at most 5 KB before the visitor shows intent, and stays within 35 KB through the first reply', async () => {
    const p = await openHostPage(browser, hostUrl(host.url));
    const { page } = p;
    const onServer = (u: string) => u.startsWith(s.url) && !u.includes('/socket.io/');
    // Bytes as the server sends them with brotli (what browsers get over HTTPS), from Content-Length.
    const brotli = new Map<string, number>();
    const measureBrotli = async (urls: string[]) => {
      for (const u of urls.filter(onServer)) {
        if (brotli.has(u)) continue;
        const res = await fetch(u, { headers: { 'accept-encoding': 'br' } });
        expect(res.headers.get('content-encoding'), u).toBe(u.includes('/api/') ? null : 'br');
        brotli.set(u, Number(res.headers.get('content-length')));
        await res.arrayBuffer();
      }
      return urls.filter(onServer).reduce((a, u) => a + brotli.get(u)!, 0);
    };
    // What this browser actually received (plain HTTP here, so gzip): encoded body sizes.
    const received = async () => (await Promise.all(p.finished.filter((f) => onServer(f.url)).map((f) => f.bytes))).reduce((a, b) => a + b, 0);
    await page.waitForLoadState('networkidle');
    expect(
      p.requests
        .filter(onServer)
        .map((u) => new URL(u).pathname)
        .sort(),
    ).toEqual(['/api/widget/config', '/widget.js']);
    const beforeBr = await measureBrotli(p.requests);
    const beforeWire = await received();
    expect(beforeBr).toBeLessThanOrEqual(BEFORE_OPEN_BUDGET);
    expect(beforeWire).toBeLessThanOrEqual(BEFORE_OPEN_BUDGET);

    // Listen before hovering: the chunk can arrive before hover() returns.
    const chunkLoaded = page.waitForResponse((r) => /\/widget\/app-[\w-]{8,}\.js$/.test(r.url()));
    await page.getByRole('button', { name: 'Open chat' }).hover();
    await chunkLoaded;
    await page.getByRole('button', { name: 'Open chat' }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('How big is this widget?');
    await box.press('Enter');
    await page.getByRole('log').getByText('Sent', { exact: true }).waitFor();
    const conv = (await s.admin('/admin/api/conversations')).body.data[0];
    await s.admin(`/admin/api/conversations/${conv.id}/messages`, { body: { message_type: 'text', text: 'Small.' } });
    await page.getByRole('log').getByText('Small.').waitFor();
    // The settings the loader just read are not read again when the socket first connects.
    expect(p.requests.filter((u) => u.includes('/api/widget/config'))).toHaveLength(1);
    const totalBr = await measureBrotli(p.requests);
    const totalWire = await received();
    expect(totalBr).toBeLessThanOrEqual(FIRST_REPLY_BUDGET);
    expect(totalWire).toBeLessThanOrEqual(FIRST_REPLY_BUDGET);
    // Hashed chunks are immutable; the loader is short-cached.
    const chunk = p.requests.find((u) => /\/widget\/app-/.test(u))!;
    expect((await page.context().request.get(chunk)).headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await page.context().request.get(`${s.url}/widget.js`)).headers()['cache-control']).toMatch(/max-age=300/);
    console.info(`widget bytes: before open ${beforeBr} B br / ${beforeWire} B as received; through first reply ${totalBr} B br / ${totalWire} B as received`);
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('works by keyboard alone: Tab to the launcher, Enter opens into the textbox, Tab stays inside, Escape closes back to the launcher', async () => {
    const p = await openHostPage(browser, hostUrl(host.url));
    const { page } = p;
    let info = await focusInfo(page);
    for (let i = 0; i < 10 && !(info.inWidget && info.label === 'Open chat'); i++) {
      await page.keyboard.press('Tab');
      info = await focusInfo(page);
    }
    expect(info).toMatchObject({ inWidget: true, tag: 'button', label: 'Open chat' });
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await expect.poll(() => focusInfo(page)).toMatchObject({ inWidget: true, tag: 'textarea', label: 'Message' });
    await page.keyboard.type('Typed with the keyboard');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('Sent', { exact: true }).waitFor();
    const stored = (await s.admin('/admin/api/conversations')).body.data as { last_message_preview: string }[];
    expect(stored.map((c) => c.last_message_preview)).toContain('Typed with the keyboard\nsecond line');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      expect((await focusInfo(page)).inWidget).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => focusInfo(page)).toMatchObject({ inWidget: true, tag: 'button', label: 'Open chat' });
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('fills a 375×667 phone screen with 16 px inputs, in English and in Arabic (right to left)', async () => {
    for (const lang of ['en', 'ar'] as const) {
      const name = lang === 'ar' ? 'افتح الدردشة' : 'Open chat';
      const p = await openHostPage(browser, hostUrl(host.url, lang === 'ar' ? { lang: 'ar' } : {}), {
        launcherName: name,
        contextOptions: { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
      });
      const { page } = p;
      await screenshot(page, `widget-phone-closed-${lang}`);
      await page.getByRole('button', { name }).tap();
      const box = page.getByRole('textbox', { name: lang === 'ar' ? 'الرسالة' : 'Message' });
      await box.waitFor();
      // The panel slides in; poll until the opening transition has settled.
      const rounded = async () => {
        const b = await page.getByRole('dialog').boundingBox();
        return b && { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
      };
      await expect.poll(rounded, { timeout: 5000 }).toEqual({ x: 0, y: 0, width: 375, height: 667 });
      expect(await box.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
      expect(await page.getByRole('dialog').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      await box.fill(lang === 'ar' ? 'مرحبا، هل يمكنكم المساعدة؟' : 'Hi! Can you help me on my phone?');
      await box.press('Enter');
      await page
        .getByRole('log')
        .getByText(lang === 'ar' ? 'أُرسلت' : 'Sent', { exact: true })
        .waitFor();
      await screenshot(page, `widget-phone-open-${lang}`);
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
    const desktop = await openHostPage(browser, hostUrl(host.url, { lang: 'ar', position: 'left', color: '#ffd60a' }), {
      launcherName: 'افتح الدردشة',
      contextOptions: { viewport: { width: 1280, height: 800 } },
    });
    await desktop.page.getByRole('button', { name: 'افتح الدردشة' }).click();
    await desktop.page.getByRole('textbox', { name: 'الرسالة' }).waitFor();
    const launcherColor = await desktop.page.evaluate(
      () => getComputedStyle(document.querySelector('connectdesk-widget')!.shadowRoot!.querySelector('button')!).color,
    );
    expect(launcherColor).toBe('rgb(17, 24, 39)'); // dark text on a light brand colour (WCAG AA)
    const panel = (await desktop.page.getByRole('dialog').boundingBox())!;
    expect(panel.x).toBe(20);
    await screenshot(desktop.page, 'widget-desktop-open-ar');
    expect(desktop.errors).toEqual([]);
    await desktop.context.close();
  });

  it('the demo page at / runs the widget and shows the snippet to paste, with a Copy button, without overflowing a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(s.url + '/');
    await expect.poll(() => page.locator('pre code').textContent()).toBe(installSnippet(s.url));
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(installSnippet(s.url));
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await screenshot(page, 'demo-page-open');

    // On a phone the snippet wraps: nothing is wider than the screen.
    await page.setViewportSize({ width: 375, height: 667 });
    await page.keyboard.press('Escape');
    await page.locator('#install').scrollIntoViewIfNeeded();
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      pre: document.querySelector('pre')!.scrollWidth,
      preBox: document.querySelector('pre')!.clientWidth,
    }));
    expect(widths.doc).toBeLessThanOrEqual(375);
    expect(widths.pre).toBeLessThanOrEqual(widths.preBox);
    await screenshot(page, 'demo-page-phone-snippet');
    expect(errors).toEqual([]);
    await context.close();
  });
});
