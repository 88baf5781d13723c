/**
 * Account health in the admin app, against the sandbox: an expired access token (190/463) shows
 * admins a banner on every page (what happened, nothing lost, where to fix it) that goes once a
 * new token is saved and the waiting reply is delivered; the checklist lists Meta's account events
 * with their severity and fixes an unsubscribed app with one button. Phone and desktop, dark mode.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, phoneInbox, phoneSends, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

const PHONE = { width: 375, height: 740 };
const LAPTOP = { width: 1366, height: 800 };

async function post(s: TestServer, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return s.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function open(browser: Browser, s: TestServer, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark', pathname: string) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(s.url + pathname);
  await signIn(page);
  return { page, context, errors };
}

/** The page has no horizontal scroll at this width. */
async function fitsWidth(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
}

describe('admin account health', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  it('an expired token shows admins a banner on every page; saving a new token removes it and the reply goes out', async () => {
    const waId = '447700933001';
    await phoneSends(s, waId, { type: 'text', text: { body: 'Are you open on Sunday?' } });
    const conv = (await conversationOf(s, (c) => c.contact.wa_id === waId))!;

    const { page, context, errors } = await open(browser, s, LAPTOP, 'light', '/admin/');
    const banner = page.getByRole('alert').filter({ hasText: 'WhatsApp sending is paused' });
    expect(await banner.count()).toBe(0);

    expect((await post(s, '/sandbox/faults', { kind: 'token_expired' })).status).toBe(201);
    const sent = await s.admin(`/admin/api/conversations/${conv.id}/messages`, { body: { message_type: 'text', text: 'Yes, 10 to 4.' } });
    expect([sent.status, sent.body.message.status]).toEqual([201, 'queued']);
    await waitFor(async () => (await s.admin('/admin/api/whatsapp/account')).body.sending_paused || null, { message: 'sending paused' });

    // The next page the admin opens shows it.
    await page.getByRole('link', { name: 'Checklist' }).first().click();
    await banner.waitFor();
    await banner.getByText('Nothing was lost').waitFor();
    await banner.getByText(/error 190/).waitFor();
    expect(await banner.textContent()).not.toContain('++');
    await page.locator('[data-check="sending_not_paused"].check-bad').waitFor();
    await screenshot(page, 'account-paused-banner-1366');

    await banner.getByRole('link', { name: 'Save a new token in Settings' }).click();
    const panel = page.getByRole('tabpanel');
    const row = panel.getByRole('row', { name: new RegExp(s.config.whatsapp.phoneNumberId) });
    await row.getByText(/Refused \(error 190\)/).waitFor();
    await banner.getByText('Save a new token for the number below.').waitFor();

    // The business issues a new token (the sandbox accepts calls again) and the admin saves it.
    expect((await post(s, '/sandbox/faults', undefined, 'DELETE')).status).toBe(200);
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit WhatsApp number' });
    await form.getByLabel('Access token').fill('EAAG-renewed-in-the-browser');
    await form.getByRole('button', { name: 'Save number' }).click();
    await banner.waitFor({ state: 'detached' });
    await row.getByText(/Refused \(error 190\)/).waitFor({ state: 'detached' });

    const received = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.text === 'Yes, 10 to 4.'), { message: 'reply on the phone' });
    expect(received).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists Meta’s account events with their severity and fixes the webhook subscription, on a phone in dark mode', async () => {
    for (const body of [
      { field: 'phone_number_quality_update', event: 'THROUGHPUT_UPGRADE' },
      { field: 'account_update', event: 'ACCOUNT_VIOLATION', violation_type: 'ADULT' },
      { field: 'account_alerts', alert_severity: 'CRITICAL' },
      { field: 'phone_number_name_update', decision: 'REJECTED' },
    ]) {
      expect((await post(s, '/sandbox/account-events', body)).status).toBe(201);
    }
    await waitFor(async () => ((await s.admin('/admin/api/whatsapp/account')).body.events.length >= 4 ? true : null), { message: 'events stored' });
    // The app is unsubscribed from the account's webhooks (someone removed it in Meta).
    expect((await post(s, '/sandbox/subscribed-apps', undefined, 'DELETE')).status).toBe(200);

    for (const scheme of ['light', 'dark'] as const) {
      const viewport = scheme === 'dark' ? PHONE : LAPTOP;
      const { page, context, errors } = await open(browser, s, viewport, scheme, '/admin/checklist');
      const events = page.getByRole('list', { name: 'Account events' });
      await events.waitFor();
      await events.getByRole('listitem').filter({ hasText: /adult/i }).getByText('Warning').waitFor();
      await events.getByRole('listitem').filter({ hasText: 'Alert' }).getByText('Critical').waitFor();
      await events
        .getByRole('listitem')
        .filter({ hasText: /higher throughput/ })
        .getByText('Info')
        .waitFor();
      await events.getByRole('listitem').filter({ hasText: 'Display name' }).getByText('Warning').waitFor();
      await fitsWidth(page);
      await page.locator('[data-check="webhook_subscribed"].check-bad').waitFor();
      await events.scrollIntoViewIfNeeded();
      await screenshot(page, `account-events-${viewport.width}-${scheme}`);
      if (scheme === 'dark') {
        await page.getByRole('button', { name: 'Fix: subscribe the app' }).click();
        await page.locator('[data-check="webhook_subscribed"].check-ok').waitFor();
        expect(await page.getByRole('button', { name: 'Fix: subscribe the app' }).count()).toBe(0);
        await screenshot(page, `account-subscribed-${viewport.width}-${scheme}`);
      }
      expect(errors).toEqual([]);
      await context.close();
    }
    expect(await (await s.fetch('/sandbox/subscribed-apps')).json()).toEqual({ subscribed: true });
  });
});
