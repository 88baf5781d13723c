/**
 * The admin app's other screens in real Chromium: settings (write-only WhatsApp token, team,
 * API tokens, canned responses used from the composer, widget appearance and snippet), the
 * templates page, the go-live checklist and the sandbox's simulated phones.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installSnippet } from '@connectdesk/shared/install-snippet';
import { createDb } from '../../server/src/db/knex.ts';
import { waitFor, type TestServer } from '../support/server.ts';
import { DESKTOP, TABLET, conversationOf, openAdmin, phoneInbox, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

const TOKEN = 'EAAGbrowserTestTokenValue0123456789SECRET';

describe('admin settings, templates, checklist and simulated phones', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  async function both(page: Page, name: string) {
    await page.setViewportSize(DESKTOP);
    await screenshot(page, `${name}-1280`);
    await page.setViewportSize(TABLET);
    await screenshot(page, `${name}-768`);
    await page.setViewportSize(DESKTOP);
  }

  it('settings: the WhatsApp token is write-only, agents are invited, tokens shown once, the widget saved', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/settings');
    await signIn(page);

    // WhatsApp: connect info and a number with a token that is never shown again.
    const panel = page.getByRole('tabpanel');
    await panel.getByLabel('Callback URL', { exact: true }).waitFor();
    expect(await panel.getByLabel('Callback URL', { exact: true }).inputValue()).toBe(`${s.url}/api/whatsapp/webhook`);
    expect(await panel.getByLabel('Verify token', { exact: true }).inputValue()).toBe(s.config.whatsapp.verifyToken);
    expect(await panel.getByLabel('Verify token', { exact: true }).getAttribute('type')).toBe('password');
    await both(page, 'settings-whatsapp');
    await panel.getByRole('button', { name: 'Add a number' }).click();
    const form = page.getByRole('form', { name: 'Add a WhatsApp number' });
    await form.getByLabel('Phone number id').fill('109876543210987');
    await form.getByLabel('WhatsApp Business Account id').fill('209876543210987');
    await form.getByLabel('Access token').fill(TOKEN);
    await form.getByLabel('Owner’s phone (notifications)').fill('+44 7700 900555');
    await form.getByRole('button', { name: 'Save number' }).click();
    const row = panel.getByRole('row', { name: /109876543210987/ });
    await row.getByText('Saved (hidden)').waitFor();
    await row.getByText('+447700900555').waitFor();
    expect(await page.content()).not.toContain(TOKEN);
    await row.getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByRole('form', { name: 'Edit WhatsApp number' }).getByLabel('Access token').inputValue()).toBe('');
    await page.getByRole('form', { name: 'Edit WhatsApp number' }).getByRole('button', { name: 'Cancel' }).click();
    const db = createDb(s.config.database);
    try {
      const stored = await db('whatsapp_numbers').where({ phone_number_id: '109876543210987' }).first();
      expect(stored.access_token_enc).toMatch(/^v1\./);
      expect(stored.access_token_enc).not.toContain(TOKEN);
    } finally {
      await db.destroy();
    }

    // Team: invite an agent; the password is shown once and works.
    await page.getByRole('tab', { name: 'Team' }).click();
    await page.getByRole('form', { name: 'Invite an agent' }).getByLabel('Name').fill('Agent Smith');
    await page.getByRole('form', { name: 'Invite an agent' }).getByLabel('Email').fill('smith@example.com');
    await page.getByRole('button', { name: 'Invite' }).click();
    const password = await page.getByLabel('Password', { exact: true }).inputValue();
    expect(password.length).toBeGreaterThan(11);
    await s.signIn({ email: 'smith@example.com', password });
    await page.getByRole('list', { name: 'Agents' }).getByText('Agent Smith').waitFor();
    await both(page, 'settings-team');

    // API tokens: created, shown once, usable, revoked.
    await page.getByRole('tab', { name: 'API tokens' }).click();
    await page.getByLabel('Token name').fill('Zapier');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByLabel('New API token', { exact: true }).inputValue();
    expect(token).toMatch(/^cdk_/);
    expect((await s.fetch('/admin/api/conversations', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke Zapier' }).click();
    await page.getByText('No tokens.').waitFor();
    expect((await s.fetch('/admin/api/conversations', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

    // Canned responses.
    await page.getByRole('tab', { name: 'Canned responses' }).click();
    await page.getByLabel('Shortcut').fill('hours');
    await page.getByLabel('Text', { exact: true }).fill('We answer Monday to Friday, 9:00–17:00.');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('list', { name: 'Canned responses' }).getByText('/hours').waitFor();

    // Widget: colour, position and greeting saved; the snippet to copy.
    await page.getByRole('tab', { name: 'Widget' }).click();
    await page.getByLabel('Colour (hex)').fill('#aa3300');
    await page.getByLabel('Bottom left').check();
    await page.getByLabel('Greeting').fill('Welcome to the shop!');
    await page.getByLabel('Show the away message outside these hours').check();
    await page.getByLabel('Always dark').check();
    await page.getByRole('button', { name: 'Save widget settings' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = (await s.admin('/admin/api/settings/widget')).body.settings;
    expect(saved).toMatchObject({ color: '#aa3300', position: 'left', greeting: 'Welcome to the shop!', theme: 'dark' });
    expect(saved.business_hours.enabled).toBe(true);
    // The snippet starts with the queue stub, so ConnectDesk.open() works before widget.js arrives.
    expect(await page.getByLabel('Snippet', { exact: true }).inputValue()).toBe(installSnippet(s.url));
    await both(page, 'settings-widget');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('a canned response is inserted from the composer with /shortcut', async () => {
    await s.admin('/admin/api/canned-responses', { body: { shortcut: 'thanks', text: 'Thank you for writing to us!' } });
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello?', name: 'Cora Canned' }),
    });
    const { conversation_id } = await res.json();
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, `/admin/conversations/${conversation_id}`);
    await signIn(page);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('/than');
    await page
      .getByRole('listbox', { name: 'Canned responses' })
      .getByRole('option', { name: /\/thanks/ })
      .waitFor();
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Thank you for writing to us!');
    await box.press('Enter');
    await page.getByRole('list', { name: 'Messages' }).getByText('Thank you for writing to us!').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('templates page: synced list with category, language, status and what each category costs', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/templates');
    await signIn(page);
    const table = page.getByRole('table');
    const row = table.getByRole('row', { name: /connectdesk_new_message/ });
    await row.getByText('Utility').waitFor();
    await row.getByText('en_US').waitFor();
    await row.getByText('approved').waitFor();
    await page.getByText('Marketing costs more than utility, which costs more than authentication', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    await page.getByText('Templates synced from Meta.').waitFor();
    await both(page, 'templates');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('go-live checklist page lists every step with its state and how to fix it', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/checklist');
    await signIn(page);
    const https = page.locator('[data-check="https"]');
    await https.getByRole('img', { name: 'Needs attention' }).waitFor();
    await https.getByText('TLS proxy', { exact: false }).waitFor();
    await page.locator('[data-check="token"]').getByRole('img', { name: 'Done' }).waitFor();
    await page.locator('[data-check="business_verification"]').getByRole('img', { name: 'Check in Meta' }).waitFor();
    await page.getByText('You are in sandbox mode', { exact: false }).waitFor();
    await both(page, 'checklist');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('simulated phones: a customer writes from the panel, and the owner answers a visitor by replying to the notification', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/phones');
    await signIn(page);
    await page.getByRole('heading', { name: 'Simulated phones', level: 1 }).waitFor();

    await page.getByLabel('Customer’s number').fill('+34 600 111 222');
    await page.getByLabel('Customer’s profile name').fill('Paula Phone');
    const customer = page.getByRole('region', { name: 'Customer +34600111222' });
    await customer.getByLabel('Text').fill('Hola, do you have this in blue?');
    await customer.getByRole('button', { name: 'Send from this phone' }).click();
    await customer.getByText('Sent “Hola, do you have this in blue?”').waitFor();
    const conv = await waitFor(() => conversationOf(s, (c) => c.contact.wa_id === '34600111222'), { message: 'customer conversation' });
    expect(conv.contact.name).toBe('Paula Phone');

    // A visitor writes on the website: the owner's phone gets the notification.
    const visit = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Is the shop open today?', name: 'Vera Visitor' }),
    });
    const { visitor_token } = await visit.json();
    const owner = page.getByRole('region', { name: 'Owner’s phone +15550100001' });
    const notice = owner.getByRole('list').getByText('Is the shop open today?', { exact: false });
    await notice.waitFor();
    const wamid = (await phoneInbox(s, '15550100001')).find((m) => (m.text ?? m.template?.text ?? '').includes('Is the shop open today?'))!.wamid;
    await owner.getByLabel('Reply to').selectOption(wamid);
    await owner.getByLabel('Text').fill('Yes, until 18:00!');
    await owner.getByRole('button', { name: 'Send from this phone' }).click();
    await waitFor(
      async () => {
        const res = await (await s.fetch(`/api/messages?visitor_token=${visitor_token}`)).json();
        return (res.data as { text: string }[]).some((m) => m.text === 'Yes, until 18:00!');
      },
      { message: 'owner reply reached the visitor' },
    );
    await both(page, 'phones');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('dark mode: the system’s by default, or the agent’s choice on this device, kept across reloads', async () => {
    const bg = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const dark = await browser.newContext({ viewport: DESKTOP, colorScheme: 'dark' });
    const page = await dark.newPage();
    await page.goto(`${s.url}/admin/settings#account`);
    await signIn(page);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await bg(page)).toBe('rgb(17, 20, 24)');
    expect(await page.getByLabel('Same as the system').isChecked()).toBe(true);

    await page.getByLabel('Light', { exact: true }).check();
    expect(await bg(page)).toBe('rgb(244, 245, 247)');
    await page.reload();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await bg(page)).toBe('rgb(244, 245, 247)');
    expect(await page.getByLabel('Light', { exact: true }).isChecked()).toBe(true);
    await screenshot(page, 'settings-account-light-choice');

    await page.getByLabel('Dark', { exact: true }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bg(page)).toBe('rgb(17, 20, 24)');
    await page.getByLabel('Same as the system').check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await bg(page)).toBe('rgb(244, 245, 247)');
    await dark.close();
  });
});
