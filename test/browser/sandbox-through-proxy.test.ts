/**
 * The admin app's Simulated phones as a deployed sandbox meets them: the browser is not on the
 * server's machine but behind a reverse proxy (which adds X-Forwarded-For, so the sandbox never
 * takes it for a direct loopback caller). An admin's session drives the phones; an agent's cannot
 * reach them, in the app or by calling the sandbox directly with their cookie.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardingProxy, type ForwardingProxy } from '../support/forwarding-proxy.ts';
import { waitFor, type TestServer } from '../support/server.ts';
import { DESKTOP, openAdmin, phoneInbox, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

describe('simulated phones through a reverse proxy', () => {
  let s: TestServer;
  let browser: Browser;
  let proxy: ForwardingProxy;
  /** The server as the browser reaches it: through the proxy. */
  let remote: TestServer;

  beforeAll(async () => {
    ({ server: s, browser } = await startAdminSuite());
    proxy = await startForwardingProxy(s.url);
    remote = { ...s, url: proxy.url };
  });
  afterAll(async () => {
    await proxy?.close();
    await stopSuite({ server: s, browser });
  });

  it('an admin’s session drives the phones: a customer writes, the owner’s phone shows the forward', async () => {
    // Not this machine: without a session the sandbox refuses the proxied browser.
    const anonymous = await fetch(`${proxy.url}/sandbox/phones/15550100001/inbox`);
    expect(anonymous.status).toBe(401);

    const { page, errors, context } = await openAdmin(browser, remote, DESKTOP, '/admin/phones');
    await signIn(page);
    await page.getByRole('heading', { name: 'Simulated phones', level: 1 }).waitFor();

    await page.getByLabel('Customer’s number').fill('+34 600 333 444');
    const customer = page.getByRole('region', { name: 'Customer +34600333444' });
    await customer.getByLabel('Text').fill('Written through the proxy');
    await customer.getByRole('button', { name: 'Send from this phone' }).click();
    await customer.getByText('Sent “Written through the proxy”').waitFor();

    await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Seen by the owner?', name: 'Via Proxy' }),
    });
    await page.getByRole('region', { name: 'Owner’s phone +15550100001' }).getByRole('list').getByText('Seen by the owner?', { exact: false }).waitFor();
    await waitFor(async () => (await phoneInbox(s, '15550100001')).some((m) => JSON.stringify(m).includes('Seen by the owner?')), { message: 'the forward' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an agent’s session does not: no Phones in the app, 403 from the sandbox', async () => {
    const invited = await s.admin('/admin/api/agents', { body: { email: 'proxied-agent@example.com', name: 'Proxied Agent', role: 'agent' } });
    expect(invited.status).toBe(201);
    const { page, context } = await openAdmin(browser, remote, DESKTOP, '/admin/');
    await signIn(page, { email: 'proxied-agent@example.com', password: invited.body.password });
    expect(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /Phones/ })
        .count(),
    ).toBe(0);
    const status = await page.evaluate(async () => (await fetch('/sandbox/phones/15550100001/inbox', { credentials: 'same-origin' })).status);
    expect(status).toBe(403);
    await context.close();
  });
});
