/**
 * In real Chromium: an agent shares a location from the admin composer (typed, and from the
 * browser's own position) and the visitor's widget shows it as a card with a map link, fetching
 * nothing from a map service; the emoji picker loads on first use, from this server only, and
 * inserts the chosen emoji at the caret, by mouse and by keyboard.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, phoneSend } from '../support/whatsapp.ts';
import { openAdmin, screenshot as adminShot, signIn } from './support/admin-app.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage, screenshot, type HostPage } from './pages/widget-harness.ts';

const PHONE = { width: 375, height: 740 };
const DESK = { width: 1366, height: 800 };

describe('locations and the emoji picker in the browser', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  async function visitorStarts(p: HostPage, text: string): Promise<string> {
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    await p.page.getByRole('log').getByText(text).waitFor();
    return waitFor(
      async () => {
        for (const c of (await s.admin('/admin/api/conversations?channel=web&limit=100')).body.data as { id: string }[]) {
          const msgs = (await s.admin(`/admin/api/conversations/${c.id}/messages`)).body.data as { text: string }[];
          if (msgs.some((m) => m.text === text)) return c.id;
        }
        return null;
      },
      { message: `conversation with ${text}` },
    );
  }

  it('an agent sends a location from the composer and the widget shows it as a card with a map link, also after a reload', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Where is the shop?');
    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${id}`);
    await signIn(admin.page);

    await admin.page.getByRole('button', { name: 'Location' }).click();
    const form = admin.page.getByRole('form', { name: 'Share a location' });
    // A pasted "lat, long" pair fills both fields.
    await form.getByLabel('Latitude').fill('38.7223, -9.1393');
    expect(await form.getByLabel('Longitude').inputValue()).toBe('-9.1393');
    await form.getByLabel('Name (optional)').fill('ConnectDesk Lisbon');
    await form.getByLabel('Address (optional)').fill('Rua Augusta 1, Lisboa');
    await adminShot(admin.page, 'location-form-1366');
    await form.getByRole('button', { name: 'Send location' }).click();
    await waitFor(async () => (await form.count()) === 0, { message: 'the form closes once sent' });

    const log = p.page.getByRole('log');
    const map = log.getByRole('link', { name: 'Open in map' });
    await map.waitFor();
    expect(await map.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=38.7223&mlon=-9.1393#map=16/38.7223/-9.1393');
    expect(await map.getAttribute('rel')).toBe('noopener noreferrer');
    await log.getByText('ConnectDesk Lisbon').waitFor();
    await log.getByText('Rua Augusta 1, Lisboa').waitFor();
    await screenshot(p.page, 'location-widget-375');

    const thread = admin.page.getByRole('list', { name: 'Messages' });
    const adminMap = thread.getByRole('link', { name: 'Open in OpenStreetMap' });
    await adminMap.waitFor();
    expect(await adminMap.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=38.7223&mlon=-9.1393#map=16/38.7223/-9.1393');

    await p.page.reload();
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    await p.page.getByRole('log').getByRole('link', { name: 'Open in map' }).waitFor();
    // Nothing was fetched from a map service: the map opens only when the visitor taps the link.
    const origins = new Set(p.requests.map((u) => new URL(u).host));
    expect([...origins].filter((h) => /openstreetmap|tile|google|mapbox/i.test(h))).toEqual([]);
    expect([...p.errors, ...admin.errors]).toEqual([]);
    await p.context.close();
    await admin.context.close();
  });

  it('"Use my location" fills in the browser\'s position; bad coordinates are explained before sending', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Where are you now?');
    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${id}`);
    await admin.context.grantPermissions(['geolocation'], { origin: s.url });
    await admin.context.setGeolocation({ latitude: 41.1579, longitude: -8.6291 });
    await signIn(admin.page);
    await admin.page.getByRole('button', { name: 'Location' }).click();
    const form = admin.page.getByRole('form', { name: 'Share a location' });
    await form.getByLabel('Latitude').fill('123');
    await form.getByLabel('Longitude').fill('0');
    await form.getByRole('button', { name: 'Send location' }).click();
    await form.getByRole('alert').getByText('Latitude must be a number between -90 and 90.').waitFor();

    await form.getByRole('button', { name: 'Use my location' }).click();
    await waitFor(async () => (await form.getByLabel('Latitude').inputValue()) === '41.1579' || null, { message: 'latitude from the browser' });
    expect(await form.getByLabel('Longitude').inputValue()).toBe('-8.6291');
    await form.getByRole('button', { name: 'Send location' }).click();
    const map = p.page.getByRole('log').getByRole('link', { name: 'Open in map' });
    await map.waitFor();
    expect(await map.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=41.1579&mlon=-8.6291#map=16/41.1579/-8.6291');
    expect([...p.errors, ...admin.errors]).toEqual([]);
    await p.context.close();
    await admin.context.close();
  });

  it('the emoji picker loads on first use from this server and inserts at the caret, by mouse and by keyboard', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Thanks!');
    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${id}`);
    const requests: string[] = [];
    admin.page.on('request', (r) => requests.push(r.url()));
    await signIn(admin.page);
    const box = admin.page.getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    expect(requests.some((u) => u.includes('emoji-picker'))).toBe(false);

    await box.fill('Hello world');
    await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 5));
    const button = admin.page.getByRole('button', { name: 'Insert emoji' });
    await button.click();
    const picker = admin.page.getByRole('dialog', { name: 'Emoji picker' });
    const search = picker.getByRole('combobox', { name: 'Search' });
    await search.waitFor();
    await waitFor(async () => (await search.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)) || null, {
      message: 'the search field has focus',
    });
    await search.fill('waving hand');
    await picker.getByRole('option', { name: /👋/ }).first().click();
    await waitFor(async () => (await picker.count()) === 0, { message: 'the picker closes after a pick' });
    expect(await box.inputValue()).toBe('Hello👋 world');
    // The caret is right after the emoji, in the message box.
    expect(await box.evaluate((el: HTMLTextAreaElement) => [document.activeElement === el, el.selectionStart])).toEqual([true, 7]);

    // Keyboard only: open, search, arrow to the first result, Enter; Escape closes without inserting.
    await box.press('End');
    await button.focus();
    await admin.page.keyboard.press('Enter');
    await search.waitFor();
    await admin.page.keyboard.press('Escape');
    await waitFor(async () => (await picker.count()) === 0, { message: 'Escape closes the picker' });
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    await admin.page.keyboard.press('Enter');
    await search.waitFor();
    await waitFor(async () => (await search.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)) || null, {
      message: 'the search field has focus again',
    });
    await admin.page.keyboard.type('thumbs up');
    // The search refreshes its results as each key arrives: wait until 👍 leads them, then choose.
    const first = picker.getByRole('option').first();
    await waitFor(async () => /👍/.test((await first.evaluate((el) => el.getAttribute('aria-label') ?? el.textContent ?? '').catch(() => '')) ?? '') || null, {
      message: '👍 is the first result',
    });
    await admin.page.keyboard.press('ArrowDown');
    await admin.page.keyboard.press('Enter');
    // (The picker gives 👍 with its emoji presentation selector, U+FE0F.)
    const plain = async () => (await box.inputValue()).replace(/\uFE0F/g, '');
    await waitFor(async () => (await plain()) === 'Hello👋 world👍' || null, { message: 'emoji inserted by keyboard' });
    await adminShot(admin.page, 'emoji-picker-1366');

    // Everything the picker needed came from this server (its code and its data), none from a CDN.
    const used = requests.filter((u) => /emoji|data-.*\.json/.test(u));
    expect(used.length).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith(s.url) || u.startsWith('data:') || u.startsWith('blob:'))).toBe(true);

    await admin.page.getByRole('button', { name: 'Send' }).click();
    await p.page
      .getByRole('log')
      .getByText(/^Hello👋 world👍\uFE0F?$/)
      .waitFor();
    expect([...p.errors, ...admin.errors]).toEqual([]);
    await p.context.close();
    await admin.context.close();
  });

  it('a WhatsApp customer sees "typing…" on the simulated phone while the agent types, until the reply arrives', async () => {
    const waId = '351919000222';
    await phoneSend(s, waId, { type: 'text', text: { body: 'Is the order on its way?' }, profile_name: 'Marta' });
    const conversation = await conversationOf(s, waId);
    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${conversation.id}`);
    await signIn(admin.page);
    const phones = await admin.context.newPage();
    await phones.goto(`${s.url}/admin/phones`);
    await phones.getByLabel('Customer’s number').fill(waId);
    const phone = phones.getByRole('region', { name: `Customer +${waId}` });
    await phone.getByText('Nothing received yet.').waitFor();
    expect(await phone.getByText('typing…').count()).toBe(0);

    await admin.page.getByRole('textbox', { name: 'Message' }).pressSequentially('It left this morning');
    await phone.getByText('typing…').waitFor();
    await adminShot(phones, 'simulated-phone-typing-1366');
    await admin.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await phone.locator('.phone-msg-text').getByText('It left this morning').waitFor();
    await waitFor(async () => (await phone.getByText('typing…').count()) === 0 || null, { message: '"typing…" gone once the reply arrived' });
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});
