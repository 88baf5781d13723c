/**
 * Quick replies in real Chromium: the visitor taps a chip under the agent's message (the chips'
 * code loads only then), the agent sees the answer, and the chips stay hidden after a reload; a
 * list opens and a row is picked; the agent sends buttons from the admin composer and from a
 * canned response with buttons.
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
  type: string;
  interactive_reply?: { id: string; title: string } | null;
}

describe('quick replies in the browser', () => {
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

  async function visitorStarts(p: HostPage, text: string): Promise<string> {
    const box = await openChat(p);
    await box.fill(text);
    await box.press('Enter');
    await p.page.getByRole('log').getByText(text).waitFor();
    return waitFor(
      async () => {
        for (const c of (await s.admin('/admin/api/conversations?channel=web&limit=100')).body.data as { id: string }[]) {
          const msgs = (await s.admin(`/admin/api/conversations/${c.id}/messages`)).body.data as Msg[];
          if (msgs.some((m) => m.text === text)) return c.id;
        }
        return null;
      },
      { message: `conversation with ${text}` },
    );
  }

  const thread = async (id: string) => (await s.admin(`/admin/api/conversations/${id}/messages`)).body.data as Msg[];

  it('the visitor taps a chip; the agent sees the answer; the chips stay hidden after a reload', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Is the parcel lost?');
    const sent = await s.admin(`/admin/api/conversations/${id}/messages`, {
      body: {
        message_type: 'interactive',
        interactive: {
          kind: 'buttons',
          body: 'It arrived yesterday. Did you get it?',
          buttons: [
            { id: 'got-it', title: 'Yes, got it' },
            { id: 'missing', title: 'No, missing' },
          ],
        },
      },
    });
    expect(sent.status).toBe(201);
    const log = p.page.getByRole('log');
    const chips = log.getByRole('group', { name: 'It arrived yesterday. Did you get it?' });
    await chips.getByRole('button', { name: 'No, missing' }).waitFor();
    await screenshot(p.page, 'quick-replies-widget-chips-375');
    await chips.getByRole('button', { name: 'No, missing' }).click();
    await waitFor(async () => (await chips.count()) === 0, { message: 'chips hidden once answered' });
    await log.getByText(/No, missing$/).waitFor();

    const answer = await waitFor(async () => (await thread(id)).find((m) => m.sender === 'visitor' && m.interactive_reply));
    expect(answer).toMatchObject({ text: 'No, missing', interactive_reply: { id: 'missing', title: 'No, missing' } });
    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${id}`);
    await signIn(admin.page);
    const messages = admin.page.getByRole('list', { name: 'Messages' });
    await messages.getByText('Quick reply buttons').waitFor();
    await messages.getByText('No, missing').first().waitFor();
    await adminShot(admin.page, 'quick-replies-admin-thread-1366');

    await p.page.reload();
    await openChat(p);
    await log.getByText('It arrived yesterday. Did you get it?', { exact: true }).waitFor();
    await log.getByText(/No, missing$/).waitFor();
    expect(await log.getByRole('button', { name: 'Yes, got it' }).count()).toBe(0);
    expect([...p.errors, ...admin.errors]).toEqual([]);
    await p.context.close();
    await admin.context.close();
  });

  it('the visitor opens a list and picks a row', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Which sizes are there?');
    const sent = await s.admin(`/admin/api/conversations/${id}/messages`, {
      body: {
        message_type: 'interactive',
        interactive: {
          kind: 'list',
          body: 'Pick a size',
          button: 'Sizes',
          sections: [
            {
              rows: [
                { id: 's', title: 'Small', description: 'Up to 2 kg' },
                { id: 'l', title: 'Large' },
              ],
            },
          ],
        },
      },
    });
    expect(sent.status).toBe(201);
    const log = p.page.getByRole('log');
    await log.getByRole('button', { name: 'Sizes' }).click();
    await log.getByRole('button', { name: /Small/ }).click();
    await log.getByText(/Small$/).waitFor();
    const answer = await waitFor(async () => (await thread(id)).find((m) => m.sender === 'visitor' && m.interactive_reply));
    expect(answer.interactive_reply).toEqual({ id: 's', title: 'Small' });
    expect(await log.getByRole('button', { name: 'Sizes' }).count()).toBe(0);
    expect(p.errors).toEqual([]);
    await p.context.close();
  });

  it('the agent sends buttons from the composer and from a canned response with buttons; the visitor sees the chips', async () => {
    const p = await openHostPage(browser, hostUrl(host.url), { contextOptions: { viewport: PHONE } });
    const id = await visitorStarts(p, 'Can I change my order?');
    const canned = await s.admin('/admin/api/canned-responses', {
      body: {
        shortcut: 'solved',
        text: 'Did that help?',
        buttons: [
          { id: 'helped', title: 'It helped' },
          { id: 'not-yet', title: 'Not yet' },
        ],
      },
    });
    expect(canned.status).toBe(201);

    const admin = await openAdmin(browser, s, DESK, `/admin/conversations/${id}`);
    await signIn(admin.page);
    await admin.page.getByRole('button', { name: 'Quick replies' }).click();
    const editor = admin.page.getByRole('form', { name: 'Quick replies' });
    await editor.getByRole('textbox', { name: 'Message' }).fill('Which would you like?');
    await editor.getByRole('textbox', { name: 'Button 1' }).fill('Change address');
    await editor.getByRole('textbox', { name: 'Button 2' }).fill('Cancel order');
    await adminShot(admin.page, 'quick-replies-admin-editor-1366');
    await editor.getByRole('button', { name: 'Send quick replies' }).click();
    const log = p.page.getByRole('log');
    await log.getByRole('button', { name: 'Cancel order' }).waitFor();

    // A canned response with buttons goes out as buttons (its text is their message).
    await admin.page.getByRole('group', { name: 'Compose' }).getByRole('button', { name: 'Reply', exact: true }).click();
    const box = admin.page.getByRole('textbox', { name: 'Message' });
    await box.fill('/solved');
    await box.press('Enter');
    await editor.getByRole('button', { name: 'Send quick replies' }).click();
    await log.getByRole('button', { name: 'Not yet' }).waitFor();
    // Only the latest unanswered offer shows chips.
    expect(await log.getByRole('button', { name: 'Cancel order' }).count()).toBe(1);
    const offers = (await thread(id)).filter((m) => m.type === 'interactive' && m.sender === 'agent');
    expect(offers.map((m) => m.text)).toEqual(['Which would you like?', 'Did that help?']);
    expect([...p.errors, ...admin.errors]).toEqual([]);
    await p.context.close();
    await admin.context.close();
  });
});
