/**
 * The widget as a visitor uses it, on a hostile page of another origin: sending, a live agent reply
 * (text only, safe links), typing, the same conversation after a reload and in a second tab, and
 * messages written offline delivered exactly once when the connection returns.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { phoneSend } from '../support/whatsapp.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage, type HostPage } from './pages/widget-harness.ts';

describe('widget chat on a hostile cross-origin page', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  async function conversationTexts(): Promise<{ id: string; texts: string[] }[]> {
    const list = await s.admin('/admin/api/conversations?limit=100');
    const out = [];
    for (const c of list.body.data as { id: string }[]) {
      const msgs = await s.admin(`/admin/api/conversations/${c.id}/messages`);
      out.push({ id: c.id, texts: (msgs.body.data as { text: string }[]).map((m) => m.text) });
    }
    return out;
  }

  async function openChat(p: HostPage) {
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    return box;
  }

  it('sends, receives a live reply as text with safe links, and keeps the conversation across reloads and tabs', async () => {
    const p = await openHostPage(browser, hostUrl(host.url));
    const box = await openChat(p);
    await box.fill('Hello from a hostile page');
    await box.press('Enter');
    const log = p.page.getByRole('log');
    await log.getByText('Hello from a hostile page').waitFor();
    await log.getByText('Sent', { exact: true }).waitFor();

    const conv = await waitFor(async () => (await conversationTexts()).find((c) => c.texts.includes('Hello from a hostile page')), {
      message: 'message stored',
    });
    expect(conv.texts).toEqual(['Hello from a hostile page']);

    // The agent types, then replies with markup, a javascript: URL and an https link.
    const agent = await s.adminSocket(await s.signIn());
    agent.emit('typing', { conversation_id: conv.id, on: true });
    await p.page.getByRole('status', { name: /is typing/ }).waitFor();
    const reply = 'See <b>bold</b> javascript:alert(1) and https://example.com/docs?a=1.';
    expect((await s.admin(`/admin/api/conversations/${conv.id}/messages`, { body: { message_type: 'text', text: reply } })).status).toBe(201);
    await log.getByText('See <b>bold</b>', { exact: false }).waitFor();
    await expect(p.page.getByRole('status', { name: /is typing/ }).count()).resolves.toBe(0);
    const links = await log
      .locator('.bb a')
      .evaluateAll((as) =>
        as.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target'), text: a.textContent })),
      );
    expect(links).toEqual([{ href: 'https://example.com/docs?a=1', rel: 'noopener noreferrer', target: '_blank', text: 'https://example.com/docs?a=1' }]);
    expect(await log.locator('b').count()).toBe(0);
    // ConnectDesk.on('message') registered through the pre-snippet queue saw both messages.
    const received = await p.page.evaluate(() => (window as unknown as { __received: { text: string; direction: string }[] }).__received);
    expect(received.map((m) => [m.direction, m.text])).toEqual([
      ['inbound', 'Hello from a hostile page'],
      ['outbound', reply],
    ]);

    // Reload: the same conversation; a returning visitor's UI loads without a click (live replies, unread).
    const preload = p.page.waitForRequest((r) => /\/widget\/app-[\w-]{8,}\.js$/.test(r.url()));
    await p.page.reload();
    await preload;
    const again = await openChat({ ...p });
    await p.page.getByRole('log').getByText('Hello from a hostile page').waitFor();
    await p.page.getByRole('log').getByText('See <b>bold</b>', { exact: false }).waitFor();
    await again.fill('After reload');
    await again.press('Enter');
    await p.page.getByRole('log').getByText('After reload').waitFor();

    // A second tab shows it too, and sees new messages live.
    const second = await openHostPage(browser, hostUrl(host.url), { context: p.context });
    await openChat(second);
    await second.page.getByRole('log').getByText('After reload').waitFor();
    const box1 = p.page.getByRole('textbox', { name: 'Message' });
    await box1.fill('Seen in both tabs');
    await box1.press('Enter');
    await second.page.getByRole('log').getByText('Seen in both tabs').waitFor();

    const all = await conversationTexts();
    expect(all.filter((c) => c.texts.includes('Hello from a hostile page'))).toHaveLength(1);
    expect(conv.id).toBe(all.find((c) => c.texts.includes('Seen in both tabs'))!.id);
    expect([...p.errors, ...second.errors]).toEqual([]);
    await p.context.close();
  });

  it('queues messages written offline and delivers them exactly once on reconnect', async () => {
    const p = await openHostPage(browser, hostUrl(host.url));
    const box = await openChat(p);
    await box.fill('First, online');
    await box.press('Enter');
    await p.page.getByRole('log').getByText('Sent', { exact: true }).waitFor();

    await p.context.setOffline(true);
    await p.page.getByText('You are offline').waitFor();
    await box.fill('Written offline');
    await box.press('Enter');
    await box.fill('Also offline');
    await box.press('Enter');
    await p.page.getByRole('log').getByText('Also offline').waitFor();
    expect(await p.page.getByRole('log').getByText('Sending…').count()).toBeGreaterThan(0);
    const queued = await p.page.evaluate(() => JSON.parse(localStorage.getItem('connectdesk:outbox') ?? '[]').map((e: { text: string }) => e.text));
    expect(queued).toEqual(['Written offline', 'Also offline']);

    await p.context.setOffline(false);
    const conv = await waitFor(async () => (await conversationTexts()).find((c) => c.texts.includes('Also offline')), {
      message: 'queued messages delivered',
      timeout: 20_000,
    });
    await waitFor(async () => (await p.page.getByRole('log').getByText('Sending…').count()) === 0, { message: 'no message left sending' });
    // Reload: nothing left to resend, and nothing is sent twice.
    await p.page.reload();
    await openChat(p);
    await p.page.getByRole('log').getByText('Also offline').waitFor();
    const final = (await conversationTexts()).find((c) => c.id === conv.id)!;
    expect(final.texts).toEqual(['First, online', 'Written offline', 'Also offline']);
    expect(await p.page.evaluate(() => localStorage.getItem('connectdesk:outbox'))).toBeNull();
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('tells a visitor who closed the chat about a reply (badge, title), uploads checked attachments, and takes identify()', async () => {
    const p = await openHostPage(browser, hostUrl(host.url));
    const { page } = p;
    const box = await openChat(p);
    await box.fill('Can I send you a photo?');
    await box.press('Enter');
    await page.getByRole('log').getByText('Sent', { exact: true }).waitFor();
    const conv = await waitFor(async () => (await conversationTexts()).find((c) => c.texts.includes('Can I send you a photo?')));

    await page.evaluate(() =>
      (window as unknown as { ConnectDesk: { identify(p: object): void } }).ConnectDesk.identify({ name: 'Ana Lima', email: 'ana@example.com' }),
    );
    await waitFor(async () => (await s.admin(`/admin/api/conversations/${conv.id}`)).body.conversation?.contact?.name === 'Ana Lima', {
      message: 'identify reached the server',
    });

    // Closed chat + agent reply → unread badge and a title notification; opening clears both.
    await page.keyboard.press('Escape');
    await s.admin(`/admin/api/conversations/${conv.id}/messages`, { body: { message_type: 'text', text: 'Sure, go ahead.' } });
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
    await page.waitForFunction(() => document.title.includes('New message'));
    const badge = await page.evaluate(() => document.querySelector('connectdesk-widget')!.shadowRoot!.querySelector('.b')!.textContent);
    expect(badge).toBe('1');
    expect(await launcher.getAttribute('aria-describedby')).toBe('cd-unread');
    await launcher.click();
    await page.getByRole('log').getByText('Sure, go ahead.').waitFor();
    await page.waitForFunction(() => document.title === 'Hostile host page');
    expect(await page.evaluate(() => document.querySelector('connectdesk-widget')!.shadowRoot!.querySelector<HTMLElement>('.b')!.hidden)).toBe(true);

    // Attachments: refused before upload when too big or of the wrong type.
    const fileInput = page.locator('connectdesk-widget input[type=file]');
    // (A 10 MB file built in the page: pushing one through the protocol would take seconds.)
    await fileInput.evaluate((input: HTMLInputElement) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.pdf', { type: 'application/pdf' }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.getByRole('alert').getByText('Files can be up to 10 MB.').waitFor();
    await fileInput.setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await page.getByRole('alert').getByText('Send an image, a PDF or a document.').waitFor();
    // An image is uploaded, shown, and stored once in the conversation.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await fileInput.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('log').locator('img[alt="photo.png"]').waitFor();
    await waitFor(async () => (await s.admin(`/admin/api/conversations/${conv.id}/messages`)).body.data.some((m: { type: string }) => m.type === 'image'), {
      message: 'image stored',
    });
    await page.getByRole('log').getByText('Sent', { exact: true }).waitFor();
    const types = (await s.admin(`/admin/api/conversations/${conv.id}/messages`)).body.data.map((m: { type: string }) => m.type);
    expect(types.filter((t: string) => t === 'image')).toHaveLength(1);

    // After a reload the image comes from the server, by the visitor's signed link (not a file name).
    await page.reload();
    await openChat(p);
    const img = page.getByRole('log').locator('img[alt="photo.png"]');
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(new RegExp(`^${s.url}/api/media/\\w+\\?exp=\\d+&sig=[\\w-]{43}$`));
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1);
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('asks a visitor who leaves their WhatsApp number to prove it, with a link that fills in the code, and confirms it live', async () => {
    const before = (await s.admin('/admin/api/settings/widget')).body.settings;
    expect((await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { ...before, ask_whatsapp: true } })).status).toBe(200);
    try {
      const p = await openHostPage(browser, hostUrl(host.url));
      const { page } = p;
      const box = await openChat(p);
      await box.fill('Please continue on WhatsApp');
      await box.press('Enter');
      await page.getByRole('log').getByText('Sent', { exact: true }).waitFor();
      await page.getByLabel('WhatsApp number').fill('+44 7700 900140');
      await page.getByLabel('Continue on WhatsApp if I leave the site').check();
      await page.getByRole('button', { name: 'Save' }).click();

      const log = page.getByRole('log');
      const prompt = log.getByText('confirm that +447700900140 is yours', { exact: false });
      await prompt.waitFor();
      const link = log.locator('.bb a[href^="https://wa.me/"]');
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(/^https:\/\/wa\.me\/\d+\?text=CD-[A-Z0-9]{6}$/);
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

      // The visitor sends the code from that WhatsApp number (here: its simulated phone).
      await phoneSend(s, '447700900140', { type: 'text', text: { body: new URL(href).searchParams.get('text')! } });
      await log.getByText('WhatsApp +447700900140 is confirmed', { exact: false }).waitFor();
      expect(p.errors).toEqual([]);
      await p.context.close();
    } finally {
      await s.admin('/admin/api/settings/widget', { method: 'PUT', body: before });
    }
  });
});
