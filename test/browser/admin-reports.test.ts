/**
 * The Reports page in Chromium against seeded data: it loads (with its charting library) only when
 * opened, the charts draw, the period and the time zone change the figures to the ones computed
 * independently from the seed, the table view and the CSV download carry the same figures, agents
 * see their own, and the page stays readable in dark mode and on a 375 px phone.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import { daysOf, expectedVolume, type Query } from '../support/report-expect.ts';
import { seedReports, type Seed } from '../support/report-seed.ts';
import type { TestServer } from '../support/server.ts';
import { DESKTOP, openAdmin, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';
import type { Browser } from 'playwright-core';

const PHONE = { width: 375, height: 812 };

describe('admin: Reports', () => {
  let s: TestServer;
  let browser: Browser;
  let db: ReturnType<typeof createDb>;
  let seed: Seed;
  let agent: { id: string; email: string; password: string };
  beforeAll(async () => {
    ({ server: s, browser } = await startAdminSuite());
    db = createDb(s.config.database);
    const invites = [];
    for (const name of ['Ana Agent', 'Bruno Agent']) {
      const email = `${name.split(' ')[0]!.toLowerCase()}@example.com`;
      const res = await s.admin('/admin/api/agents', { body: { email, name } });
      invites.push({ id: res.body.agent.id as string, email, password: res.body.password as string });
    }
    agent = invites[0]!;
    seed = await seedReports(
      db,
      invites.map((a) => a.id),
    );
    await s.admin('/admin/api/settings/whatsapp-rates', {
      method: 'PUT',
      body: { currency: 'EUR', rates: [{ country: '*', category: 'marketing', price: 0.05 }] },
    });
  });
  afterAll(async () => {
    await db?.destroy();
    await stopSuite({ server: s, browser });
  });

  /** Sets the period and time zone in the controls, and waits for the figures of that query. */
  async function choose(page: Page, q: Query): Promise<void> {
    const wanted = (url: string) =>
      url.includes('/admin/api/reports/volume') &&
      url.includes(`from=${q.from}&`) &&
      url.includes(`to=${q.to}&`) &&
      url.includes(`tz=${encodeURIComponent(q.tz)}`);
    await Promise.all([
      page.waitForResponse((r) => wanted(r.url())),
      (async () => {
        await page.getByLabel('Time zone', { exact: true }).fill(q.tz);
        await page.getByLabel('From', { exact: true }).fill(q.from);
        await page.getByLabel('To', { exact: true }).fill(q.to);
      })(),
    ]);
    await page.locator('.reports[aria-busy="false"]').waitFor();
  }

  const kpi = (page: Page, card: string, label: string) =>
    page
      .locator(`[data-report="${card}"] .kpi`)
      .filter({ has: page.getByText(label, { exact: true }) })
      .locator('dd')
      .first()
      .innerText();

  async function chartDrawn(page: Page, card: string): Promise<boolean> {
    return page
      .locator(`[data-report="${card}"] canvas`)
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return painted > 500;
      });
  }

  it('loads only when opened, draws its charts, and period and time zone change the figures', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await signIn(page);
    expect(scripts.some((u) => /reports-scene/.test(u))).toBe(false);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    expect(scripts.some((u) => /reports-scene/.test(u))).toBe(true);

    const lisbon: Query = { from: '2026-03-01', to: '2026-04-10', tz: 'Europe/Lisbon' };
    await choose(page, lisbon);
    const want = expectedVolume(seed, lisbon).totals;
    expect(await kpi(page, 'conversations', 'Opened')).toBe(want.conversations_opened.toLocaleString('en-US'));
    expect(await kpi(page, 'messages', 'In')).toBe(want.messages_in.toLocaleString('en-US'));
    for (const card of ['conversations', 'messages', 'whatsapp-delivery', 'satisfaction']) expect(await chartDrawn(page, card), card).toBe(true);
    await screenshot(page, 'reports-1280');

    // A shorter period in another time zone: other figures, exactly the expected ones.
    const kolkata: Query = { from: '2026-03-02', to: '2026-03-16', tz: 'Asia/Kolkata' };
    await choose(page, kolkata);
    const shorter = expectedVolume(seed, kolkata);
    expect(shorter.totals.messages_in).not.toBe(want.messages_in);
    expect(await kpi(page, 'messages', 'In')).toBe(shorter.totals.messages_in.toLocaleString('en-US'));
    const card = page.locator('[data-report="conversations"]');
    await card.getByRole('button', { name: 'Table' }).click();
    const rows = await card.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText)));
    expect(rows).toEqual(
      shorter.daily.map((d) => [
        d.date,
        String(d.web.conversations_opened + d.whatsapp.conversations_opened),
        String(d.web.conversations_reopened + d.whatsapp.conversations_reopened),
        String(d.web.conversations_resolved + d.whatsapp.conversations_resolved),
        String(d.web.conversations_opened),
        String(d.whatsapp.conversations_opened),
      ]),
    );
    expect(rows.map((r) => r[0])).toEqual(daysOf(kolkata));

    // The CSV is that table.
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: /Download CSV/ }).click()]);
    expect(download.suggestedFilename()).toBe('conversations-2026-03-02_2026-03-16.csv');
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('Date,Opened,Of them reopened,Resolved,Opened on the web,Opened on WhatsApp');
    expect(csv.slice(1)).toEqual(rows.map((r) => r.join(',')));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an agent sees their own figures, without the owner’s phone', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/reports');
    await signIn(page, { email: agent.email, password: agent.password });
    await page.getByText('Your own figures.').waitFor();
    const q: Query = { from: '2026-03-01', to: '2026-04-10', tz: 'UTC' };
    await choose(page, q);
    expect(await kpi(page, 'messages', 'Out (agents)')).toBe(expectedVolume(seed, { ...q, agent: agent.id }).totals.messages_out.toLocaleString('en-US'));
    expect(await page.getByRole('combobox', { name: 'Agent', exact: true }).count()).toBe(0);
    expect(await page.locator('[data-report="owner-phone"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each([
    ['light', 'reports-375-light'],
    ['dark', 'reports-375-dark'],
  ] as const)('readable at 375 px in %s mode: nothing wider than the screen, charts drawn', async (scheme, shot) => {
    const context = await browser.newContext({ viewport: PHONE, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${s.url}/admin/reports`);
    await signIn(page);
    await choose(page, { from: '2026-03-01', to: '2026-04-10', tz: 'Europe/Lisbon' });
    expect(await chartDrawn(page, 'conversations')).toBe(true);
    // Every card fits the screen (wide tables scroll inside their card).
    const rights = await page.locator('.reports .card').evaluateAll((cards) => cards.map((c) => Math.ceil(c.getBoundingClientRect().right)));
    expect(rights.length).toBeGreaterThan(8);
    expect(Math.max(...rights)).toBeLessThanOrEqual(PHONE.width);
    const background = await page.locator('[data-report="conversations"]').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe(scheme === 'dark' ? 'rgb(31, 33, 36)' : 'rgb(255, 255, 255)');
    await screenshot(page, shot);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, `reports-1280-${scheme}`);
    await context.close();
  });
});
