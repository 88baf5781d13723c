/**
 * The agent's day in real Chromium: the unread badge and the tab title come from the server, so a
 * search typed in the box never hides a new WhatsApp message; desktop notifications (permission
 * asked only on the agent's click) and a chime for conversations that are theirs or unassigned,
 * per their stored preferences; presence in the top bar (away by hand, away when idle, the team's
 * status); and anonymous visitors told apart by name, colour, page, language and local time.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedVisitorName } from '@connectdesk/shared';
import { waitFor, type TestServer } from '../support/server.ts';
import { DESKTOP, openAdmin, phoneSends, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

/** Records every desktop notification and every chime note, then lets the real API do its work. */
const RECORD_ALERTS = () => {
  const w = window as unknown as { __notifications: string[]; __notes: number; Notification: typeof Notification };
  w.__notifications = [];
  w.__notes = 0;
  const Real = w.Notification;
  const Recording = function (this: unknown, title: string, options?: NotificationOptions) {
    w.__notifications.push(title);
    return new Real(title, options);
  } as unknown as typeof Notification;
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Recording.requestPermission = (...args: Parameters<typeof Real.requestPermission>) => Real.requestPermission(...args);
  w.Notification = Recording;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
    w.__notes++;
    return start.apply(this, args);
  };
};

describe('the agent’s day in the admin app', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  const visitorWrites = async (text: string, auth: Record<string, string> = {}) => {
    const socket = io(s.url + '/visitor', { transports: ['websocket'], auth, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ack = await socket.timeout(5000).emitWithAck('message:send', { text, client_id: `c-${Math.random()}` });
    socket.disconnect();
    expect(ack.ok).toBe(true);
    return ack.message.conversation_id as string;
  };
  const alertsOf = (page: Page) =>
    page.evaluate(() => ({
      notifications: (window as unknown as { __notifications: string[] }).__notifications,
      notes: (window as unknown as { __notes: number }).__notes,
    }));

  it('the badge and the tab title count a new WhatsApp message even while a search hides it from the list', async () => {
    const { page, context, errors } = await openAdmin(browser, s);
    await signIn(page);
    const search = page.getByRole('searchbox', { name: 'Search conversations' });
    await search.fill('refund policy');
    await page.getByText('Nothing matches “refund policy”.').waitFor();
    expect(await page.title()).toBe('ConnectDesk');

    await phoneSends(s, '447700900301', { type: 'text', text: { body: 'Hello, is the shop open today?' } });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByLabel('1 unread').waitFor();
    await waitFor(async () => (await page.title()) === '(1) ConnectDesk', { message: 'tab title' });
    // The list still shows only what the search asked for.
    expect(await page.getByRole('list', { name: 'Conversation list' }).getByRole('link').count()).toBe(0);
    await screenshot(page, 'agent-day-badge-with-search');

    // Read elsewhere (another agent's tab): the badge follows the server.
    const wa = (await s.admin('/admin/api/conversations')).body.data.find((c: { contact: { wa_id: string } }) => c.contact.wa_id === '447700900301');
    await s.admin(`/admin/api/conversations/${wa.id}/read`, { method: 'POST' });
    await waitFor(async () => (await nav.getByLabel(/unread/).count()) === 0 && (await page.title()) === 'ConnectDesk', { message: 'badge cleared' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('notifies on the desktop and with a chime for new conversations that are mine or unassigned, as set in Settings', async () => {
    let context: BrowserContext | null = null;
    try {
      context = await browser.newContext({ viewport: DESKTOP });
      await context.grantPermissions(['notifications'], { origin: s.url });
      await context.addInitScript(RECORD_ALERTS);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${s.url}/admin/settings#notifications`);
      await signIn(page);
      await page.getByRole('tab', { name: 'Notifications' }).click();
      const panel = page.getByRole('tabpanel', { name: 'Notifications' });
      await panel.getByRole('checkbox', { name: /Desktop notifications/ }).check();
      await panel.getByText('Desktop notifications are on.').waitFor();
      await panel.getByRole('checkbox', { name: /Sound/ }).check();
      await panel.getByText('Sound is on.').waitFor();
      expect((await s.admin('/admin/api/me/preferences')).body.preferences).toMatchObject({ desktop: true, sound: true });
      await screenshot(page, 'agent-day-settings-notifications');

      // A conversation assigned to someone else: its next message alerts nobody here.
      const bo = await s.admin('/admin/api/agents', { body: { email: 'bo@example.com', name: 'Bo' } });
      const first = await s.fetch('/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'For Bo only' }),
      });
      const theirs = (await first.json()) as { conversation_id: string; visitor_token: string };
      await s.admin(`/admin/api/conversations/${theirs.conversation_id}`, { method: 'PATCH', body: { assignee_id: bo.body.agent.id } });
      const theirsName = (await s.admin(`/admin/api/conversations/${theirs.conversation_id}`)).body.conversation.contact.generated_name;
      await waitFor(async () => (await alertsOf(page)).notifications.includes(`New conversation: ${theirsName}`), { message: 'unassigned at first' });
      const before = await alertsOf(page);
      const again = await s.fetch('/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Bo, are you there?', visitor_token: theirs.visitor_token }),
      });
      expect(again.status).toBe(201);
      // Then a new unassigned conversation: a notification and the chime (and nothing for Bo's in between).
      const fresh = await visitorWrites('Hi! Do you deliver on Sundays?');
      const contact = (await s.admin(`/admin/api/conversations/${fresh}`)).body.conversation.contact;
      await waitFor(async () => (await alertsOf(page)).notifications.includes(`New conversation: ${contact.generated_name}`), {
        message: 'desktop notification',
      });
      const after = await alertsOf(page);
      expect(after.notes).toBeGreaterThan(before.notes);
      expect(after.notifications.filter((t) => !before.notifications.includes(t))).toEqual([`New conversation: ${contact.generated_name}`]);

      // Sound off: the next one notifies without a chime.
      await panel.getByRole('checkbox', { name: /Sound/ }).uncheck();
      await panel.getByText('Sound is off.').waitFor();
      const quiet = await alertsOf(page);
      const next = await visitorWrites('One more thing');
      const nextName = generatedVisitorName((await s.admin(`/admin/api/conversations/${next}`)).body.conversation.contact.id);
      await waitFor(async () => (await alertsOf(page)).notifications.includes(`New conversation: ${nextName}`), { message: 'second notification' });
      expect((await alertsOf(page)).notes).toBe(quiet.notes);
      expect(errors).toEqual([]);
    } finally {
      await context?.close();
    }
  });

  it('shows the agent’s status and the team’s in the top bar: away by hand, away when idle, back on activity', async () => {
    const { page, context, errors } = await openAdmin(browser, s);
    await signIn(page);
    const me = (await s.admin('/admin/api/me')).body.user.id as string;
    const status = async () => ((await s.admin('/admin/api/presence')).body.data as { id: string; status: string }[]).find((a) => a.id === me)?.status;
    await waitFor(async () => (await status()) === 'online', { message: 'online' });

    const button = page.getByRole('button', { name: /your status/ });
    await button.click();
    const panel = page.getByRole('group', { name: 'Status and team' });
    await panel.getByRole('list', { name: 'Team presence' }).getByText('Bo').waitFor();
    await panel.getByRole('radio', { name: /Away/ }).check();
    await waitFor(async () => (await status()) === 'away', { message: 'away by hand' });
    await button.getByText('Away', { exact: true }).waitFor();
    await screenshot(page, 'agent-day-presence-menu');
    await panel.getByRole('radio', { name: 'Online' }).check();
    await waitFor(async () => (await status()) === 'online', { message: 'back online' });
    await page.keyboard.press('Escape');

    // Idle: one minute without input (the page's clock jumps ahead) turns this agent away; a key press brings them back.
    await s.admin('/admin/api/me/preferences', { method: 'PATCH', body: { away_after_minutes: 1 } });
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.clock.setFixedTime(Date.now() + 2 * 60_000);
    await waitFor(async () => (await status()) === 'away', { message: 'away when idle', timeout: 20_000 });
    await page.clock.setFixedTime(Date.now() + 3 * 60_000);
    await page.mouse.move(200, 200);
    await page.keyboard.press('Shift');
    await waitFor(async () => (await status()) === 'online', { message: 'back on activity', timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('tells anonymous visitors apart: generated names, colours, page, language and local time', async () => {
    const one = await visitorWrites('Hola, ¿tienen envío gratis?', {
      page_url: 'https://shop.example/pricing?plan=pro',
      language: 'pt-BR',
      time_zone: 'America/Sao_Paulo',
    });
    const two = await visitorWrites('Hi there', { page_url: 'https://shop.example/checkout', language: 'de-DE', time_zone: 'Europe/Berlin' });
    const [a, b] = await Promise.all([one, two].map(async (id) => (await s.admin(`/admin/api/conversations/${id}`)).body.conversation.contact));
    // Names come from a pool of 576, so two visitors may share one: rows are found by their link, not by name.

    const { page, context, errors } = await openAdmin(browser, s, DESKTOP, `/admin/conversations/${one}`);
    await signIn(page);
    const list = page.getByRole('list', { name: 'Conversation list' });
    const rowA = list.locator(`a[href$="/conversations/${one}"]`);
    const rowB = list.locator(`a[href$="/conversations/${two}"]`);
    await rowA.getByText(a.generated_name).waitFor();
    await rowB.getByText(b.generated_name).waitFor();
    await rowA.getByText(/shop\.example\/pricing · pt-BR · .* in Sao Paulo/).waitFor();
    await rowB.getByText(/shop\.example\/checkout · de-DE · .* in Berlin/).waitFor();
    const colours = await Promise.all([rowA, rowB].map((r) => r.locator('.avatar').evaluate((el) => getComputedStyle(el).backgroundColor)));
    const hex = (c: string) =>
      '#' +
      (c.match(/\d+/g) ?? [])
        .slice(0, 3)
        .map((n) => Number(n).toString(16).padStart(2, '0'))
        .join('');
    expect(colours.map(hex)).toEqual([a.color, b.color]);

    const details = page.getByRole('complementary', { name: 'Contact details' });
    await page.getByRole('heading', { name: a.generated_name, level: 1 }).waitFor();
    await details.getByText('Brazilian Portuguese (pt-BR)').waitFor();
    await details.getByText(/America\/Sao_Paulo — .* there now/).waitFor();
    await details.getByText(`shown as “${a.generated_name}”`, { exact: false }).waitFor();
    await screenshot(page, 'agent-day-visitors');
    expect(errors).toEqual([]);
    await context.close();
  });
});
