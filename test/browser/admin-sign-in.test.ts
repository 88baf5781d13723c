/**
 * Signing in and out of the admin app in real Chromium, under the admin CSP: wrong passwords are
 * refused with a message, the session survives a reload, an expired session returns to the
 * sign-in form saying why, and deep links work after sign-in.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type TestServer } from '../support/server.ts';
import { DESKTOP, TABLET, openAdmin, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

describe('admin sign-in', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  it('refuses a wrong password, signs in, keeps the session across a reload and signs out', async () => {
    const { page, errors, context } = await openAdmin(browser, s);
    const res = await page.request.get(s.url + '/admin/');
    expect(res.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in-1280');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.getByRole('link', { name: 'Inbox' }).getAttribute('aria-current')).toBe('page');

    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('You have signed out.').waitFor();
    expect((await context.cookies()).find((c) => c.name === 'cd_session')).toBeUndefined();

    // The wrong password above answered 401 on purpose; nothing else may log an error.
    expect(errors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
    await context.close();
  });

  it('an expired session returns to sign-in with a message, and a deep link opens after signing in', async () => {
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, '/admin/settings');
    await signIn(page);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();

    // The session ends on the server (expired, or signed out elsewhere).
    const cookie = (await context.cookies()).find((c) => c.name === 'cd_session')!;
    const out = await s.fetch('/admin/api/session', { method: 'DELETE', headers: { cookie: `cd_session=${cookie.value}`, origin: s.url } });
    expect(out.status).toBe(204);

    // The next request finds out. The app may also notice on its own first (its socket is dropped
    // with the session), in which case the tab is already gone: either way it must land here.
    await page
      .getByRole('tab', { name: 'Team' })
      .click({ timeout: 5_000 })
      .catch(() => {});
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your session has expired. Sign in again to continue.').waitFor();
    await signIn(page);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(errors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
    await context.close();
  });

  it('the sign-in form works on a tablet', async () => {
    const { page, errors, context } = await openAdmin(browser, s, TABLET);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in-768');
    await signIn(page);
    await page.getByText('Pick a conversation on the left.').waitFor();
    await screenshot(page, 'inbox-empty-768');
    expect(errors).toEqual([]);
    await context.close();
  });
});
