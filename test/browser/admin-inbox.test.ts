/**
 * The inbox in real Chromium: a visitor's message appears live without a reload, keyboard
 * navigation opens it, the agent answers with Enter (Shift+Enter for a new line), notes stay
 * internal, hostile text is shown literally, and WhatsApp messages render by type.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { DESKTOP, TABLET, conversationOf, openAdmin, phoneSends, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

// A 2×2 PNG, as a phone would send it.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

describe('admin inbox', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  async function visitorWrites(text: string, extra: Record<string, unknown> = {}): Promise<{ conversation_id: string; visitor_token: string }> {
    const headers = { 'content-type': 'application/json', 'user-agent': IPHONE_SAFARI };
    const res = await s.fetch('/api/messages', { method: 'POST', headers, body: JSON.stringify({ text, ...extra }) });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversation_id: string; visitor_token: string };
  }

  const thread = (page: Page) => page.getByRole('list', { name: 'Messages' });
  const IPHONE_SAFARI =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

  it('a visitor message appears live, opens from the keyboard, and the agent answers with Enter', async () => {
    const { page, errors, context } = await openAdmin(browser, s);
    await signIn(page);
    await page.getByText('No open conversations.', { exact: false }).waitFor();

    const ana = await visitorWrites('Hi, is anyone there?', {
      name: 'Ana Visitor',
      email: 'ana@example.com',
      page_url: 'https://shop.example/pricing?plan=pro',
    });
    const list = page.getByRole('list', { name: 'Conversation list' });
    const item = list.getByRole('link', { name: /Ana Visitor/ });
    await item.waitFor();
    await item.getByText('Hi, is anyone there?').waitFor();
    await item.getByLabel('1 unread').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByLabel('1 unread').waitFor();

    // A second visitor writes later: newest activity first.
    await visitorWrites('Second visitor here', { name: 'Bo Visitor' });
    await list.getByRole('link', { name: /Bo Visitor/ }).waitFor();
    await waitFor(async () => (await list.getByRole('link').allTextContents())[0]?.includes('Bo Visitor'), { message: 'Bo first' });

    // j moves down the list, k back up, Enter opens.
    await page.locator('body').press('j');
    await page.locator('body').press('j');
    await page.locator('body').press('k');
    await page.locator('body').press('j');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Ana Visitor');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/admin/conversations/${ana.conversation_id}`);
    await page.getByRole('heading', { name: 'Ana Visitor', level: 1 }).waitFor();
    await thread(page).getByText('Hi, is anyone there?').waitFor();
    await waitFor(async () => (await item.getByLabel('1 unread').count()) === 0, { message: 'unread cleared' });
    expect((await s.admin(`/admin/api/conversations/${ana.conversation_id}`)).body.conversation.unread).toBe(0);

    // Contact details: the visitor's email, the page they wrote from (a link) and their browser.
    const details = page.getByRole('complementary', { name: 'Contact details' });
    await details.getByText('ana@example.com').waitFor();
    const pageLink = details.getByRole('link', { name: 'shop.example/pricing' });
    expect(await pageLink.getAttribute('href')).toBe('https://shop.example/pricing?plan=pro');
    expect(await pageLink.getAttribute('rel')).toBe('noopener noreferrer');
    await details.getByText('Safari 17 on iPhone').waitFor();

    // Enter sends; Shift+Enter is a new line.
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello Ana, how can I help?');
    await box.press('Enter');
    await thread(page).getByText('Hello Ana, how can I help?').waitFor();
    await box.type('Line one');
    await box.press('Shift+Enter');
    await box.type('Line two');
    await box.press('Enter');
    await thread(page).getByText('Line one').waitFor();
    expect(await box.inputValue()).toBe('');

    // A live reply while the conversation is open appears without a reload.
    await visitorWrites('Thanks! One more question', { visitor_token: ana.visitor_token });
    await thread(page).getByText('Thanks! One more question').waitFor();

    // An internal note is shown distinctly and never reaches the visitor.
    await page.getByRole('button', { name: 'Internal note' }).click();
    await page.getByRole('textbox', { name: 'Internal note' }).fill('VIP customer, be nice');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = thread(page).locator('.msg-note', { hasText: 'VIP customer, be nice' });
    await note.getByText('Internal note', { exact: false }).waitFor();

    const visitorView = await (await s.fetch(`/api/messages?visitor_token=${ana.visitor_token}`)).json();
    const texts = (visitorView.data as { text: string }[]).map((m) => m.text);
    expect(texts).toEqual(['Hi, is anyone there?', 'Hello Ana, how can I help?', 'Line one\nLine two', 'Thanks! One more question']);

    await screenshot(page, 'inbox-web-1280');

    // Resolve, then find it under Resolved; reopen.
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByRole('button', { name: 'Reopen', exact: true }).waitFor();
    expect((await s.admin(`/admin/api/conversations/${ana.conversation_id}`)).body.conversation.status).toBe('resolved');
    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Resolved' }).click();
    await waitFor(async () => (await list.getByRole('link', { name: /Bo Visitor/ }).count()) === 0, { message: 'open ones filtered out' });
    await list.getByRole('link', { name: /Ana Visitor/ }).waitFor();
    await page.getByRole('button', { name: 'Reopen', exact: true }).click();
    await page.getByRole('button', { name: 'Resolve', exact: true }).waitFor();

    // Assign to me, then filter "Mine".
    await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Open' }).click();
    await page
      .getByRole('region', { name: /^Conversation with/ })
      .getByRole('combobox', { name: 'Assignee' })
      .selectOption({ label: 'Admin' });
    await waitFor(async () => (await s.admin(`/admin/api/conversations/${ana.conversation_id}`)).body.conversation.assignee_id, { message: 'assigned' });
    await page.getByRole('group', { name: 'Filters' }).getByRole('combobox', { name: 'Assignee' }).selectOption('me');
    await waitFor(async () => (await list.getByRole('link').count()) === 1, { message: 'only mine' });
    await list.getByRole('link', { name: /Ana Visitor/ }).waitFor();
    await page.getByRole('group', { name: 'Filters' }).getByRole('combobox', { name: 'Assignee' }).selectOption('all');

    // Search by text.
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('Second visitor');
    await waitFor(async () => (await list.getByRole('link').count()) === 1 && (await list.getByRole('link', { name: /Bo Visitor/ }).count()) === 1, {
      message: 'search result',
    });
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('');
    await list.getByRole('link', { name: /Ana Visitor/ }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  it('hostile message content is shown literally, never run', async () => {
    const hostile = '<img src=x onerror=alert(1)> and <script>alert(2)</script> and <b>bold</b>';
    const { conversation_id } = await visitorWrites(hostile, { name: '<i>Mallory</i>' });
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, `/admin/conversations/${conversation_id}`);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page);
    await thread(page).getByText(hostile).waitFor();
    await page.getByRole('heading', { name: '<i>Mallory</i>', level: 1 }).waitFor();
    await page.getByRole('list', { name: 'Conversation list' }).getByText(hostile).waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('<img src=y onerror=alert(3)>');
    await box.press('Enter');
    await thread(page).getByText('<img src=y onerror=alert(3)>').waitFor();

    expect(await page.locator('img[src="x"], img[src="y"], main script, main b, main i').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('WhatsApp messages render by type: image, location with a map link, contacts, interactive replies, reactions and replies', async () => {
    const waId = '447700900123';
    const first = await phoneSends(s, waId, { type: 'text', text: { body: 'Hello from WhatsApp' }, profile_name: 'Wanda WhatsApp' });
    const conv = await waitFor(() => conversationOf(s, (c) => c.contact.wa_id === waId), { message: 'whatsapp conversation' });
    await phoneSends(s, waId, { type: 'image', image: { mime_type: 'image/png', data_base64: PNG, caption: 'My receipt' } });
    await phoneSends(s, waId, { type: 'location', location: { latitude: 51.5007, longitude: -0.1246, name: 'Big Ben', address: 'London SW1A 0AA' } });
    await phoneSends(s, waId, {
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'Carlos Contact', first_name: 'Carlos' }, phones: [{ phone: '+34 600 000 000', type: 'CELL' }] }],
    });
    await phoneSends(s, waId, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes, please' } } });
    await phoneSends(s, waId, { type: 'text', text: { body: 'About my first message' }, context: { id: first.wamid } });
    await phoneSends(s, waId, { type: 'reaction', reaction: { message_id: first.wamid, emoji: '👍' } });
    await waitFor(async () => (await s.admin(`/admin/api/conversations/${conv.id}/messages`)).body.data.length >= 6, { message: 'messages stored' });

    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, `/admin/conversations/${conv.id}`);
    await signIn(page);
    const t = thread(page);
    await t.getByText('Hello from WhatsApp', { exact: true }).waitFor();
    await page
      .getByRole('region', { name: /^Conversation with/ })
      .getByText(/Reply window: \d+h \d+m left/)
      .waitFor();
    await page
      .getByText(/23h \d+m left/)
      .first()
      .waitFor();

    const img = t.getByRole('img', { name: /My receipt/ });
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^\/admin\/api\/media\//);
    await waitFor(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 2), { message: 'image loaded' });

    await t.getByText('Big Ben').waitFor();
    await t.getByText('51.5007, -0.1246').waitFor();
    const map = t.getByRole('link', { name: 'Open in OpenStreetMap' });
    expect(await map.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=51.5007&mlon=-0.1246#map=16/51.5007/-0.1246');

    await t.getByText('Carlos Contact').waitFor();
    await t.getByText('+34 600 000 000').waitFor();
    await t.getByText('Yes, please').waitFor();

    const reply = t.locator('.msg', { hasText: 'About my first message' });
    await reply.locator('blockquote').getByText('Hello from WhatsApp').waitFor();
    await waitFor(async () => (await t.getByText('👍').count()) > 0, { message: 'reaction shown' });

    await screenshot(page, 'inbox-whatsapp-1280');

    await page.setViewportSize(TABLET);
    await screenshot(page, 'inbox-whatsapp-768');
    await page.getByRole('button', { name: 'Contact' }).click();
    await page.getByRole('complementary', { name: 'Contact details' }).getByText('+447700900123').waitFor();
    await screenshot(page, 'inbox-contact-768');
    await page.getByRole('button', { name: 'Close' }).click();

    expect(errors).toEqual([]);
    await context.close();
  });
});
