/**
 * The visitor's first minute in real Chromium: the widget header says "Online now" while an agent
 * is online and changes live when they leave or come back; otherwise when to expect an answer
 * ("We reply in a few hours", or "Back Monday 9:00 AM" outside business hours, in the visitor's
 * clock); and the page, browser language and time zone reach the agent's contact details.
 */
import type { Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage, screenshot } from './pages/widget-harness.ts';

describe('widget presence and visitor details', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  async function agentTab(): Promise<Socket> {
    const cookie = await s.signIn();
    const socket = io(s.url + '/admin', { transports: ['websocket'], extraHeaders: { cookie, origin: s.url }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  it('says "Online now" only while an agent is online, live, and sends the page, language and time zone', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { locale: 'en-GB', timezoneId: 'Asia/Tokyo' } });
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    const dialog = p.page.getByRole('dialog');
    await dialog.getByText('We reply in a few hours').waitFor();

    const agent = await agentTab();
    await dialog.getByText('Online now').waitFor();
    await screenshot(p.page, 'widget-online-now');
    agent.disconnect();
    await dialog.getByText('We reply in a few hours').waitFor();

    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello from Tokyo');
    await box.press('Enter');
    await p.page.getByRole('log').getByText('Sent', { exact: true }).waitFor();
    const conversation = await waitFor(
      async () =>
        (await s.admin('/admin/api/conversations')).body.data.find((c: { last_message_preview: string }) => c.last_message_preview === 'Hello from Tokyo'),
      { message: 'stored' },
    );
    expect(conversation.contact).toMatchObject({ language: 'en-GB', time_zone: 'Asia/Tokyo' });
    expect(conversation.contact.page_url).toMatch(new RegExp(`^${host.url}/hostile\\.html`));
    expect(conversation.contact.generated_name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('outside business hours says when the team is back, in the visitor’s own clock', async () => {
    // Open one day a week, 09:00–17:00 in New York: three days from today there, so closed now.
    const todayInNewYork = new Date(new Date().toLocaleString('en-US', { timeZone: 'America/New_York' })).getDay();
    const day = (todayInNewYork + 3) % 7;
    const put = await s.admin('/admin/api/settings/widget', {
      method: 'PUT',
      body: { business_hours: { enabled: true, timezone: 'America/New_York', days: [{ day, open: '09:00', close: '17:00' }] } },
    });
    expect(put.status).toBe(200);
    const config = await (await s.fetch('/api/widget/config')).json();
    expect(config.online).toBe(false);
    const opens = new Date(config.next_open_at);

    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { locale: 'en-GB', timezoneId: 'Europe/London' } });
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    // What the visitor's browser says for that instant: weekday and time in London.
    const expected = await p.page.evaluate(
      (iso) => new Intl.DateTimeFormat('en', { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(new Date(iso)),
      config.next_open_at as string,
    );
    expect(expected).toMatch(new RegExp(new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'Europe/London' }).format(opens)));
    await p.page.getByRole('dialog').getByText(`Back ${expected}`).waitFor();
    await screenshot(p.page, 'widget-back-at');

    // An agent comes online anyway: "Online now" wins.
    const agent = await agentTab();
    await p.page.getByRole('dialog').getByText('Online now').waitFor();
    agent.disconnect();
    expect(p.errors).toEqual([]);
    await p.context.close();
  });
});
