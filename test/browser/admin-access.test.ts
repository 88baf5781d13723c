/**
 * Access in the admin app, in real Chromium: an API token gets exactly the scopes and expiry
 * picked in Settings; a role change signs the agent's open app out at once (its socket is cut);
 * changing one's own password keeps this browser signed in and signs every other one out.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer } from '../support/server.ts';
import { DESKTOP, openAdmin, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

describe('admin app: tokens, roles and passwords', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  async function invite(email: string, name: string): Promise<{ email: string; password: string; id: string }> {
    const res = await s.admin('/admin/api/agents', { body: { email, name } });
    expect(res.status).toBe(201);
    return { email, password: res.body.password, id: res.body.agent.id };
  }

  it('creates an API token with the scopes and expiry picked, and shows them', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/settings#tokens');
    await signIn(page);
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Token name').fill('Reporting');
    // The defaults: read and answer conversations, templates.
    expect(await form.getByRole('checkbox', { name: /^conversations:read/ }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: /^conversations:write/ }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: /^templates/ }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: /^settings/ }).isChecked()).toBe(false);
    for (const scope of ['conversations:read', 'conversations:write', 'templates'])
      await form.getByRole('checkbox', { name: new RegExp(`^${scope}`) }).uncheck();
    expect(await form.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(true);
    await form.getByRole('checkbox', { name: /^conversations:read/ }).check();
    await form.getByRole('checkbox', { name: /^settings/ }).check();
    await form.getByLabel('Expires after').selectOption({ label: '30 days' });
    await screenshot(page, 'settings-tokens-create-1280');
    await form.getByRole('button', { name: 'Create token' }).click();

    const token = await page.getByLabel('New API token', { exact: true }).inputValue();
    expect(token).toMatch(/^cdk_/);
    const row = page.getByRole('list', { name: 'API tokens' }).getByRole('listitem').filter({ hasText: 'Reporting' });
    await row.getByText('Scopes: conversations:read, settings').waitFor();
    await row.getByText(/expires /).waitFor();

    const call = (path: string, init: RequestInit = {}) =>
      s.fetch(path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect((await call('/admin/api/conversations')).status).toBe(200);
    expect((await call('/admin/api/settings/widget')).status).toBe(200);
    const refused = await call('/admin/api/templates');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('insufficient_scope');
    const listed = (await s.admin('/admin/api/tokens')).body.data.find((t: { name: string }) => t.name === 'Reporting');
    const days = (Date.parse(listed.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('changing an agent’s role signs their open app out at once', async () => {
    const agent = await invite('rolf@example.com', 'Rolf');
    const theirs = await openAdmin(browser, s, DESKTOP, '/admin/');
    await signIn(theirs.page, agent);
    await theirs.page.getByText('Pick a conversation on the left.').waitFor();

    const mine = await openAdmin(browser, s, DESKTOP, '/admin/settings#team');
    await signIn(mine.page);
    const row = mine.page.getByRole('list', { name: 'Agents' }).getByRole('listitem').filter({ hasText: 'Rolf' });
    await row.getByRole('button', { name: 'Make admin' }).click();
    await row.getByRole('button', { name: 'Make Rolf an admin' }).click();
    await row.getByText('Admin', { exact: true }).waitFor();
    await screenshot(mine.page, 'settings-team-roles-1280');

    // Without touching their page: the socket is cut and the app returns to sign-in saying why.
    await theirs.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
    await theirs.page.getByText('Your session has expired. Sign in again to continue.').waitFor();
    await signIn(theirs.page, agent);
    await theirs.page.getByRole('link', { name: 'Settings' }).click();
    await theirs.page.getByRole('tab', { name: 'Team' }).click();
    await theirs.page.getByRole('form', { name: 'Invite an agent' }).waitFor(); // an admin now

    expect(mine.errors).toEqual([]);
    expect(theirs.errors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
    await mine.context.close();
    await theirs.context.close();
  });

  it('changing one’s password keeps this browser signed in and signs the other ones out', async () => {
    const agent = await invite('pat@example.com', 'Pat');
    const other = await openAdmin(browser, s, DESKTOP, '/admin/');
    await signIn(other.page, agent);
    await other.page.getByText('Pick a conversation on the left.').waitFor();

    const here = await openAdmin(browser, s, DESKTOP, '/admin/settings#account');
    await signIn(here.page, agent);
    const form = here.page.getByRole('form', { name: 'Change your password' });
    await form.getByLabel('Current password').fill('not-the-password');
    await form.getByLabel('New password', { exact: true }).fill('pats-new-password');
    await form.getByLabel('New password again').fill('pats-new-password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').getByText('the current password is not right').waitFor();
    expect(await other.page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);

    await form.getByLabel('Current password').fill(agent.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await here.page.getByText('Password changed. Your other sessions and your API tokens have ended; this browser stays signed in.').waitFor();
    await screenshot(here.page, 'settings-account-1280');

    await other.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
    // This browser: still signed in, live again after its socket was cut with the old session.
    await here.page.getByRole('link', { name: 'Inbox' }).click();
    await here.page.getByText('Pick a conversation on the left.').waitFor();
    const conv = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'still live?', name: 'Live Check' }),
    });
    expect(conv.status).toBe(201);
    await here.page.getByRole('region', { name: 'Conversations' }).getByText('Live Check').waitFor({ timeout: 10_000 });
    expect(await here.page.getByText('Connection lost').count()).toBe(0);

    await signIn(other.page, { email: agent.email, password: 'pats-new-password' });
    expect(here.errors.filter((e) => !/400 \(Bad Request\)/.test(e))).toEqual([]);
    expect(other.errors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
    await here.context.close();
    await other.context.close();
  });
});
