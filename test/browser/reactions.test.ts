/**
 * Reactions and quotes in real Chromium: a visitor reacts to an agent's reply from the widget and
 * sees the agent's reaction on their own message, live and after a reload; an agent reacts and
 * quotes from the admin app's bubbles (mouse and keyboard), and the visitor sees both.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { openAdmin, screenshot as adminShot, signIn } from './support/admin-app.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage, screenshot, type HostPage } from './pages/widget-harness.ts';

const PHONE = { width: 375, height: 740 };
const DESK = { width: 1366, height: 800 };

interface Msg {
  id: string;
  text: string;
  sender: string;
  reactions: { emoji: string; from: string }[];
  context: { message_id: string | null } | null;
}

describe('reactions and quotes in the browser', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  const thread = async (id: string) => (await s.admin(`/admin/api/conversations/${id}/messages`)).body.data as Msg[];

  async function openChat(p: HostPage) {
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    return box;
  }

  /** The visitor writes from the widget; the conversation's id and the message once stored. */
  async function visitorStarts(p: HostPage, text: string): Promise<{ id: string; message: Msg }> {
    const box = await openChat(p);
    await box.fill(text);
    await box.press('Enter');
    await p.page.getByRole('log').getByText(text).waitFor();
    return waitFor(
      async () => {
        for (const c of (await s.admin('/admin/api/conversations?channel=web&limit=100')).body.data as { id: string }[]) {
          const message = (await thread(c.id)).find((m) => m.text === text);
          if (message) return { id: c.id, message };
        }
        return null;
      },
      { message: `conversation with ${text}` },
    );
  }

  it("lets a visitor react to a reply and shows the agent's reaction, live and after a reload", async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const question = 'Do you deliver on Sundays?';
    const { id, message: asked } = await visitorStarts(p, question);
    const reply = (await s.admin(`/admin/api/conversations/${id}/messages`, { body: { message_type: 'text', text: 'Yes, until noon.' } })).body.message as Msg;
    const log = p.page.getByRole('log');
    const answer = log.locator('.m', { hasText: 'Yes, until noon.' });
    await answer.waitFor();
    // The visitor's own message has no React button; the reply has one.
    expect(await log.locator('.m.me', { hasText: question }).getByRole('button', { name: 'React' }).count()).toBe(0);

    await answer.getByRole('button', { name: 'React' }).click();
    const picker = answer.getByRole('group', { name: 'Choose a reaction' });
    await picker.waitFor();
    expect(await picker.getByRole('button').allTextContents()).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏']);
    await screenshot(p.page, 'reactions-widget-picker-375');
    await picker.getByRole('button', { name: '👍' }).click();
    await answer.locator('.rx').getByText('👍').waitFor();
    await picker.waitFor({ state: 'detached' });
    await waitFor(async () => (await thread(id)).find((m) => m.id === reply.id)?.reactions.some((r) => r.emoji === '👍' && r.from === 'visitor'));

    // The agent reacts to the visitor's question: it shows on the visitor's own bubble, live.
    expect((await s.admin(`/admin/api/conversations/${id}/messages`, { body: { message_type: 'reaction', message_id: asked.id, emoji: '🎉' } })).status).toBe(
      201,
    );
    const mine = log.locator('.m.me', { hasText: question });
    await mine.locator('.rx').getByText('🎉').waitFor();
    await screenshot(p.page, 'reactions-widget-375');

    await p.page.reload();
    await openChat(p);
    await log.locator('.m', { hasText: 'Yes, until noon.' }).locator('.rx').getByText('👍').waitFor();
    await log.locator('.m.me', { hasText: question }).locator('.rx').getByText('🎉').waitFor();

    // Choosing the same emoji again takes the visitor's reaction back (keyboard this time).
    const again = log.locator('.m', { hasText: 'Yes, until noon.' });
    await again.getByRole('button', { name: 'React' }).focus();
    await p.page.keyboard.press('Enter');
    const chosen = again.getByRole('button', { name: '👍' });
    await chosen.waitFor();
    expect(await chosen.getAttribute('aria-pressed')).toBe('true');
    // The picker takes the focus as it appears: the first emoji (👍) has it.
    expect(await chosen.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement)).toBe(true);
    await p.page.keyboard.press('Enter');
    await waitFor(async () => (await thread(id)).find((m) => m.id === reply.id)?.reactions.length === 0);
    await again.locator('.rx').waitFor({ state: 'detached' });
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('shows the React and Reply buttons without hover on a touch screen, and reacts with a tap', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const { id, message: asked } = await visitorStarts(p, 'Tap test');
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${s.url}/admin/conversations/${id}`);
    await signIn(page);
    const bubble = page.getByRole('list', { name: 'Messages' }).locator(`[data-message-id="${asked.id}"]`);
    await bubble.waitFor();
    expect(await bubble.locator('.msg-actions').evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await bubble.getByRole('button', { name: 'React' }).tap();
    await bubble.getByRole('group', { name: 'Choose a reaction' }).getByRole('button', { name: '🙏' }).tap();
    await waitFor(async () => (await thread(id)).find((m) => m.id === asked.id)?.reactions.some((r) => r.emoji === '🙏'));
    await p.context.close();
    await context.close();
  });

  for (const [label, viewport] of [
    ['1366', DESK],
    ['375', PHONE],
  ] as const) {
    it(`lets an agent react and quote from the admin bubbles at ${label}px, and the visitor sees both`, async () => {
      const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
      const question = `Is the blue one waterproof? (${label})`;
      const { id, message: asked } = await visitorStarts(p, question);
      const admin = await openAdmin(browser, s, viewport, `/admin/conversations/${id}`);
      await signIn(admin.page);
      const list = admin.page.getByRole('list', { name: 'Messages' });
      const bubble = list.locator(`[data-message-id="${asked.id}"]`);
      await bubble.waitFor();

      // React with the mouse: the buttons show on hover (or focus), not before.
      const actionsOpacity = () => bubble.locator('.msg-actions').evaluate((el) => getComputedStyle(el).opacity);
      await admin.page.mouse.move(0, 0);
      expect(await actionsOpacity()).toBe('0');
      await bubble.hover();
      await waitFor(async () => (await actionsOpacity()) === '1');
      await bubble.getByRole('button', { name: 'React' }).click();
      const picker = bubble.getByRole('group', { name: 'Choose a reaction' });
      await picker.waitFor();
      await adminShot(admin.page, `reactions-admin-picker-${label}`);
      await picker.getByRole('button', { name: '❤️' }).click();
      await bubble.locator('.msg-reactions').getByText('❤️').waitFor();
      await waitFor(async () => (await thread(id)).find((m) => m.id === asked.id)?.reactions.some((r) => r.emoji === '❤️' && r.from === 'agent'));
      await p.page.getByRole('log').locator('.m.me', { hasText: question }).locator('.rx').getByText('❤️').waitFor();

      // Quote it with the keyboard: Reply, a preview with ×, then Enter sends the reply with reply_to.
      await bubble.getByRole('button', { name: 'Reply' }).focus();
      await admin.page.keyboard.press('Enter');
      const preview = admin.page.getByRole('group', { name: 'Replying to' });
      await preview.getByText(question).waitFor();
      await adminShot(admin.page, `reactions-admin-${label}`);
      await preview.getByRole('button', { name: 'Cancel reply' }).click();
      await preview.waitFor({ state: 'detached' });
      await bubble.hover();
      await bubble.getByRole('button', { name: 'Reply' }).click();
      await preview.waitFor();
      const box = admin.page.getByRole('textbox', { name: 'Message' });
      await box.fill('Yes, fully waterproof.');
      await box.press('Enter');
      await preview.waitFor({ state: 'detached' });
      const sent = await waitFor(async () => (await thread(id)).find((m) => m.text === 'Yes, fully waterproof.'));
      expect(sent.context?.message_id).toBe(asked.id);
      const quoted = list.locator(`[data-message-id="${sent.id}"]`).locator('blockquote');
      await quoted.getByText(question).waitFor();
      await p.page.getByRole('log').locator('.m', { hasText: 'Yes, fully waterproof.' }).locator('blockquote').getByText(question).waitFor();

      // The agent's reaction comes off again.
      await bubble.hover();
      await bubble.getByRole('button', { name: 'React' }).click();
      expect(await picker.getByRole('button', { name: '❤️' }).getAttribute('aria-pressed')).toBe('true');
      await picker.getByRole('button', { name: '❤️' }).click();
      await bubble.locator('.msg-reactions').waitFor({ state: 'detached' });
      expect([...p.errors, ...admin.errors]).toEqual([]);
      await p.context.close();
      await admin.context.close();
    });
  }
});
