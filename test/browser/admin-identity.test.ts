/**
 * WhatsApp identities in the admin app on a 375×667 phone: a group conversation is marked Group in
 * the list and header and shows who wrote each message; a number change is a line in the thread;
 * a contact who stopped marketing messages says so in the contact panel. Nothing is wider than the
 * screen, and axe finds nothing on these screens.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { openAdmin, phoneSends, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

const PHONE = { width: 375, height: 667 };
const post = (s: TestServer, path: string, body: unknown) =>
  s.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('admin: groups, number changes and marketing opt-outs on a phone', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ server: s, browser } = await startAdminSuite());
    const created = await post(s, '/sandbox/groups', { subject: 'Book club', participants: ['447700900701', '447700900702'] });
    const { group_id } = (await created.json()) as { group_id: string };
    await post(s, `/sandbox/groups/${group_id}/messages`, { from: '447700900701', type: 'text', text: { body: 'Chapter 3 tonight?' }, profile_name: 'Gil' });
    await post(s, `/sandbox/groups/${group_id}/messages`, { from: '447700900702', type: 'text', text: { body: 'Yes, at 8' }, profile_name: 'Ivo' });
    await phoneSends(s, '447700900711', { type: 'text', text: { body: 'Hi, it is Bea' }, profile_name: 'Bea' });
    await post(s, '/sandbox/phones/447700900711/identity', { new_wa_id: '447700900712' });
    await post(s, '/sandbox/phones/447700900712/preferences', { value: 'stop' });
  });
  afterAll(() => stopSuite({ server: s, browser }));

  it('shows the group marker, each member, the number-change line and the opt-out, within the screen', async () => {
    const { page, errors, context } = await openAdmin(browser, s, PHONE);
    await signIn(page);
    const groupRow = page.locator('.conv-item', { hasText: 'Yes, at 8' });
    await groupRow.getByText('Group', { exact: true }).waitFor();
    await groupRow.click();
    const header = page.locator('.conv-header');
    await header.getByText('Group', { exact: true }).waitFor();
    await page.getByText('Chapter 3 tonight?').waitFor();
    await page.locator('.msg-list').getByText('Gil').first().waitFor();
    await page.locator('.msg-list').getByText('Ivo').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(describeViolations(await axeViolations(page))).toEqual([]);
    await screenshot(page, 'admin-phone-group');

    await page.getByRole('link', { name: /Inbox/ }).first().click();
    await page.locator('.conv-item', { hasText: 'Bea' }).click();
    const line = page.locator('.timeline-event', { hasText: 'Bea changed their number from +447700900711 to +447700900712' });
    await line.waitFor();
    await page.getByRole('button', { name: 'Contact' }).click();
    const details = page.getByRole('complementary', { name: 'Contact details' });
    await details.getByText('Stopped').waitFor();
    await details.getByText(/marketing templates are refused/).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(describeViolations(await axeViolations(page))).toEqual([]);
    await screenshot(page, 'admin-phone-opt-out');
    expect(errors).toEqual([]);
    await context.close();
  });
});
