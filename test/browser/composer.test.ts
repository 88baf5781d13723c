/**
 * The agent's composer in real Chromium, the widget on a hostile page and the admin app side by
 * side: the agent's name survives a reload, links are clickable and never `javascript:`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { openAdmin, screenshot as adminShot, signIn } from './support/admin-app.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage, screenshot, type HostPage } from './pages/widget-harness.ts';

const PHONE = { width: 375, height: 740 };
// A 2×2 PNG and a tiny PDF, as an agent would upload them.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const DESK = { width: 1366, height: 800 };

describe('the agent composer in the browser', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  async function openChat(p: HostPage) {
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    return box;
  }

  async function upload(data: Buffer, name: string): Promise<string> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(data)]), name);
    const res = await s.fetch('/admin/api/media', { method: 'POST', body: form, headers: { cookie: await s.signIn(), origin: s.url } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { media_id: string }).media_id;
  }

  /** The visitor writes from the widget; the conversation's id once stored. */
  async function visitorStarts(p: HostPage, text: string): Promise<string> {
    const box = await openChat(p);
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

  it("keeps the agent's name after a reload and makes links clickable and safe in both apps", async () => {
    const me = (await s.admin('/admin/api/me')).body.user as { name: string };
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Where do I find the manual?');
    const reply = 'Here: https://example.com/manual.pdf (not javascript:alert(1))';
    expect((await s.admin(`/admin/api/conversations/${id}/messages`, { body: { message_type: 'text', text: reply } })).status).toBe(201);
    const log = p.page.getByRole('log');
    await log.getByText(me.name, { exact: true }).waitFor();

    await p.page.reload();
    await openChat(p);
    await log.getByText('Here: ', { exact: false }).waitFor();
    await log.getByText(me.name, { exact: true }).waitFor();
    expect(await log.getByText('Support', { exact: true }).count()).toBe(0);
    await screenshot(p.page, 'composer-widget-375');

    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${id}`);
    await signIn(admin.page);
    const thread = admin.page.getByRole('list', { name: 'Messages' });
    const link = thread.getByRole('link', { name: 'https://example.com/manual.pdf' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('https://example.com/manual.pdf');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await thread.locator('a[href^="javascript"]').count()).toBe(0);
    await adminShot(admin.page, 'composer-admin-1366');
    expect([...p.errors, ...admin.errors]).toEqual([]);
    await p.context.close();
    await admin.context.close();
  });

  for (const [label, viewport] of [
    ['375', PHONE],
    ['1366', DESK],
  ] as const) {
    it(`shows an agent's image (with a lightbox), a file card and a quote in the widget and the admin at ${label}px`, async () => {
      const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport } });
      const question = `Photo of the blue one please (${label})`;
      const id = await visitorStarts(p, question);
      const asked = ((await s.admin(`/admin/api/conversations/${id}/messages`)).body.data as { id: string; text: string }[]).find((m) => m.text === question)!;
      const image = await upload(PNG, 'blue.png');
      expect(
        (
          await s.admin(`/admin/api/conversations/${id}/messages`, {
            body: { message_type: 'media', media_id: image, caption: 'The blue one', reply_to: asked.id },
          })
        ).status,
      ).toBe(201);
      const pdf = await upload(PDF, 'size-guide.pdf');
      expect((await s.admin(`/admin/api/conversations/${id}/messages`, { body: { message_type: 'media', media_id: pdf } })).status).toBe(201);

      const log = p.page.getByRole('log');
      const img = log.getByRole('img', { name: 'blue.png' });
      await img.waitFor();
      await log.getByText(/The blue one$/).waitFor();
      await log.locator('blockquote').getByText(question).waitFor();
      const card = log.getByRole('link', { name: /size-guide\.pdf/ });
      await card.waitFor();
      expect(await card.textContent()).toMatch(/size-guide\.pdf\s*\d+ B/);
      expect(await card.getAttribute('href')).toMatch(/\/api\/media\/.+\?exp=\d+&sig=/);

      await img.click();
      const dialog = p.page.getByRole('dialog', { name: 'blue.png' });
      await dialog.waitFor();
      await screenshot(p.page, `composer-widget-lightbox-${label}`);
      await p.page.keyboard.press('Escape');
      await waitFor(async () => (await dialog.count()) === 0, { message: 'lightbox closed' });
      await p.page.getByRole('textbox', { name: 'Message' }).waitFor();

      await p.page.reload();
      await openChat(p);
      await log.getByRole('img', { name: 'blue.png' }).waitFor();
      await log.locator('blockquote').getByText(question).waitFor();
      await log.getByRole('link', { name: /size-guide\.pdf/ }).waitFor();
      await screenshot(p.page, `composer-widget-files-${label}`);

      const admin = await openAdmin(browser, s, viewport, `/admin/conversations/${id}`);
      await signIn(admin.page);
      const thread = admin.page.getByRole('list', { name: 'Messages' });
      await thread.getByRole('img', { name: /Image/ }).waitFor();
      await thread.locator('blockquote').getByText(question).waitFor();
      await thread.getByText('size-guide.pdf').waitFor();
      await adminShot(admin.page, `composer-admin-files-${label}`);
      expect([...p.errors, ...admin.errors]).toEqual([]);
      await p.context.close();
      await admin.context.close();
    });
  }

  it('the agent attaches a file to a web chat, by the button or by pasting, sees a preview and the visitor gets it', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Can you show me?');
    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${id}`);
    await signIn(admin.page);
    await admin.page.locator('#composer-file').setInputFiles({ name: 'shelf.png', mimeType: 'image/png', buffer: PNG });
    const preview = admin.page.getByRole('figure', { name: 'Attachment to send' });
    await preview.getByRole('img', { name: 'Preview of shelf.png' }).waitFor();
    await adminShot(admin.page, 'composer-admin-preview-1366');
    await admin.page.getByRole('textbox', { name: 'Message' }).fill('This shelf');
    await admin.page.getByRole('button', { name: 'Send' }).click();
    await waitFor(async () => (await preview.count()) === 0, { message: 'preview cleared after send' });
    await p.page.getByRole('log').getByRole('img', { name: 'shelf.png' }).waitFor();

    // Pasting a file into the message box attaches it the same way.
    await admin.page.getByRole('textbox', { name: 'Message' }).evaluate(
      (el, bytes) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], 'manual.pdf', { type: 'application/pdf' }));
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      },
      [...PDF],
    );
    await preview.getByText('manual.pdf').waitFor();
    await admin.page.getByRole('button', { name: 'Send' }).click();
    await p.page
      .getByRole('log')
      .getByRole('link', { name: /manual\.pdf/ })
      .waitFor();
    expect([...p.errors, ...admin.errors]).toEqual([]);
    await p.context.close();
    await admin.context.close();
  });
});
