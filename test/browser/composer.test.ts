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
});
