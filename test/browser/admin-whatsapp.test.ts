/**
 * WhatsApp in the admin app, against the sandbox: a closed 24-hour window turns the composer into
 * a template picker (parameters, preview, send, live ticks), and a message WhatsApp refuses shows
 * the plain-language reason, the fix and a Retry that delivers it once the fix is in.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { TABLET, conversationOf, inboundWebhook, openAdmin, phoneInbox, phoneSends, postSignedWebhook, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

const HOUR = 3600_000;
// A 2×2 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

describe('admin WhatsApp: window, templates, failures', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  /** A customer message delivered by a signed webhook, as Meta would (not through a sandbox phone). */
  async function customerWrote(waId: string, name: string, text: string, at: Date) {
    const res = await postSignedWebhook(
      s,
      inboundWebhook(s, { waId, name, wamid: `wamid.test-${waId}-${at.getTime()}`, timestamp: at, message: { type: 'text', text: { body: text } } }),
    );
    expect(res.status).toBe(200);
    return waitFor(() => conversationOf(s, (c) => c.contact.wa_id === waId), { message: `conversation of ${waId}` });
  }

  const thread = (page: Page) => page.getByRole('list', { name: 'Messages' });

  it('a closed window turns the composer into a template picker; the template is sent and its ticks move live', async () => {
    const waId = '15550107777';
    const conv = await customerWrote(waId, 'Olga Old', 'Do you ship to Spain?', new Date(Date.now() - 30 * HOUR));
    expect((await s.admin(`/admin/api/conversations/${conv.id}`)).body.conversation.window.open).toBe(false);

    const { page, errors, context } = await openAdmin(browser, s, { width: 1280, height: 800 }, `/admin/conversations/${conv.id}`);
    await signIn(page);
    await thread(page).getByText('Do you ship to Spain?').waitFor();
    await page.getByText('The 24-hour window closed — WhatsApp only allows an approved template now').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    await page.getByRole('list', { name: 'Conversation list' }).getByText('Window closed').waitFor();

    const picker = page.getByLabel('Template', { exact: true });
    await picker.waitFor();
    const groups = await picker.locator('optgroup').evaluateAll((gs) => gs.map((g) => (g as HTMLOptGroupElement).label));
    expect(groups).toContain('Utility');
    await picker.selectOption({ label: 'connectdesk_reopen (en_US)' });
    await page.getByLabel('Parameter 1').fill('Olga');
    const preview = page.getByLabel('Preview');
    await preview.getByText("Hi Olga, we'd like to follow up on your previous conversation.", { exact: false }).waitFor();
    await screenshot(page, 'template-picker-1280');

    await page.getByRole('button', { name: 'Send template' }).click();
    const sent = thread(page).locator('.msg-out', { hasText: "Hi Olga, we'd like to follow up" });
    await sent.getByText('Template · connectdesk_reopen (en_US)').waitFor();
    // Ticks follow the status webhooks without a reload.
    await sent.getByRole('img', { name: /^(Delivered|Read)$/ }).waitFor();

    const received = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.template?.name === 'connectdesk_reopen'), {
      message: 'template on the phone',
    });
    expect(received.template!.parameters).toEqual(['Olga']);
    expect(received.template!.text).toContain('Hi Olga');

    await page.setViewportSize(TABLET);
    await screenshot(page, 'template-picker-768');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a message WhatsApp refuses shows the reason and the fix; Retry delivers it once the customer writes again', async () => {
    // The server saw the customer write a minute ago, but the phone never opened a window with the
    // business (it wrote through another route): Meta accepts the send, then fails it with 131047.
    const waId = '15550108888';
    const conv = await customerWrote(waId, 'Rita Retry', 'Please call me back', new Date(Date.now() - 60_000));

    const { page, errors, context } = await openAdmin(browser, s, { width: 1280, height: 800 }, `/admin/conversations/${conv.id}`);
    await signIn(page);
    await thread(page).getByText('Please call me back').waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Sure — when suits you?');
    await box.press('Enter');

    const msg = thread(page).locator('.msg-out', { hasText: 'Sure — when suits you?' });
    await msg.getByRole('img', { name: 'Failed' }).waitFor();
    const problem = msg.getByRole('group', { name: 'Not delivered' });
    await problem.getByText('More than 24 hours have passed since the customer last wrote', { exact: false }).waitFor();
    await problem.getByText('Send a template', { exact: false }).waitFor();
    await screenshot(page, 'failed-message-1280');

    // The customer writes from their phone: the message shows up live, and Retry now goes through.
    await phoneSends(s, waId, { type: 'text', text: { body: 'Any time after 5pm' } });
    await thread(page).getByText('Any time after 5pm').waitFor();
    await problem.getByRole('button', { name: 'Retry' }).click();
    await msg.getByRole('img', { name: /^(Delivered|Read)$/ }).waitFor();
    expect(await msg.getByRole('group', { name: 'Not delivered' }).count()).toBe(0);
    await waitFor(async () => (await phoneInbox(s, waId)).some((m) => m.text === 'Sure — when suits you?'), { message: 'delivered to the phone' });

    // An attachment with a caption goes out as WhatsApp media and shows inline.
    await page.locator('#composer-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
    await page.getByText('photo.png').waitFor();
    await box.fill('Here is the photo');
    await box.press('Enter');
    const media = thread(page).locator('.msg-out', { hasText: 'Here is the photo' });
    await media.getByRole('img', { name: /Here is the photo/ }).waitFor();
    await media.getByRole('img', { name: /^(Sent|Delivered|Read)$/ }).waitFor();
    const onPhone = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.type === 'image'), { message: 'image on the phone' });
    expect(onPhone.text).toBe('Here is the photo');

    expect(errors).toEqual([]);
    await context.close();
  });
});
