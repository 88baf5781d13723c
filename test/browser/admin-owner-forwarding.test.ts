/**
 * Settings → WhatsApp → forwarding to the owner's phone in Chromium: where the queue stands, what
 * was sent to the phone and when (a forward and a digest from real sandbox traffic), and the
 * policy and quiet hours saved by an admin (an agent sees them, read-only).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer } from '../support/server.ts';
import { ownerQueueDrained, ownerReceives, ownerSays, shown, visitorWrites } from '../support/owner.ts';
import { DESKTOP, TABLET, openAdmin, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

describe('admin: forwarding to the owner’s phone', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ server: s, browser } = await startAdminSuite());
    // A forward, then a digest of what waited through a mute.
    await visitorWrites(s, 'Do you ship to Lisbon?', { name: 'Ana' });
    await ownerReceives(s, (m) => shown(m).includes('ship to Lisbon'));
    await ownerSays(s, '#mute 1h');
    await ownerReceives(s, (m) => shown(m).startsWith('🔕'));
    await visitorWrites(s, 'Open on Sunday?', { name: 'Bruno' });
    await visitorWrites(s, 'Gift wrap?', { name: 'Carla' });
    await ownerSays(s, '#unmute');
    await ownerReceives(s, (m) => shown(m).startsWith('2 conversations are waiting:'));
    await ownerQueueDrained(s);
  });
  afterAll(() => stopSuite({ server: s, browser }));

  const section = (page: Page) => page.getByRole('region', { name: 'Forwarding to the owner’s phone' });

  it('shows the queue and the log, and saves the policy and quiet hours', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/settings#whatsapp');
    await signIn(page);
    const card = section(page);
    await card.getByRole('status').getByText('+15550100001 · nothing waiting').waitFor();
    const log = card.getByRole('table', { name: 'Sent to the owner’s phone' });
    const digest = log.getByRole('row').filter({ hasText: '1) Bruno, 2) Carla' });
    await digest.getByText('Digest', { exact: true }).waitFor();
    await log.getByRole('row').filter({ hasText: 'Forward' }).filter({ hasText: 'Ana' }).waitFor();
    await log.getByRole('row').filter({ hasText: 'Notice' }).first().waitFor();
    await digest.getByText('Text', { exact: true }).click();
    await digest.getByText('1) Bruno (shop.example.com): Open on Sunday?').waitFor();

    await card.getByLabel('The first message of each conversation').check();
    await card.getByLabel('Digest of later messages every').fill('30');
    await card.getByLabel(/Hold forwards during quiet hours/).check();
    await card.getByLabel('Quiet from').fill('21:30');
    await card.getByLabel('Quiet until').fill('08:15');
    await card.getByRole('button', { name: 'Save forwarding' }).click();
    await card.getByText('Saved.').waitFor();
    expect((await s.admin('/admin/api/settings/owner-forwarding')).body.settings).toEqual({
      policy: 'first',
      digest_minutes: 30,
      quiet_hours: { enabled: true, start: '21:30', end: '08:15' },
    });
    await page.setViewportSize(DESKTOP);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-owner-forwarding-1280');
    await page.setViewportSize(TABLET);
    await screenshot(page, 'settings-owner-forwarding-768');

    // Bad input is refused with the server's reason and changes nothing.
    await card.getByLabel('Quiet until').fill('21:30');
    await card.getByRole('button', { name: 'Save forwarding' }).click();
    await card.getByText(/quiet hours must start and end at different times/).waitFor();
    expect((await s.admin('/admin/api/settings/owner-forwarding')).body.settings.quiet_hours.end).toBe('08:15');
    // The browser logs the refused request itself; nothing else may go wrong.
    expect(errors.filter((e) => !/400 \(Bad Request\)/.test(e))).toEqual([]);
    await context.close();
  });

  it('agents see forwarding but cannot change it', async () => {
    const invite = await s.admin('/admin/api/agents', { body: { email: 'agent@example.com', name: 'Agent' } });
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/settings#whatsapp');
    await signIn(page, { email: 'agent@example.com', password: invite.body.password });
    const card = section(page);
    await card.getByText('Only admins can change forwarding.').waitFor();
    expect(await card.getByLabel('Every visitor message').isDisabled()).toBe(true);
    expect(await card.getByRole('button', { name: 'Save forwarding' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
