/**
 * Rough edges of the inbox found in a browser walk-through: after Meta's 131047 the header says the
 * window is closed and the composer offers templates (no countdown, no Retry); day labels follow the
 * message's own time and the local calendar; a resolved conversation leaves the Open list live; and
 * assign/resolve/reopen show in the timeline, live and after a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { DESKTOP, conversationOf, inboundWebhook, openAdmin, postSignedWebhook, screenshot, signIn } from './support/admin-app.ts';
import { startAdminSuite, stopSuite } from './support/suite.ts';

describe('admin fixes', () => {
  let s: TestServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
  afterAll(() => stopSuite({ server: s, browser }));

  const thread = (page: Page) => page.getByRole('list', { name: 'Messages' });
  const list = (page: Page) => page.getByRole('list', { name: 'Conversation list' });

  async function customerWrites(waId: string, name: string, text: string, at: Date) {
    const res = await postSignedWebhook(
      s,
      inboundWebhook(s, { waId, name, wamid: `wamid.${waId}.${at.getTime()}`, timestamp: at, message: { type: 'text', text: { body: text } } }),
    );
    expect(res.status).toBe(200);
    return waitFor(() => conversationOf(s, (c) => c.contact.wa_id === waId), { message: `${name}'s conversation` });
  }

  it('after 131047 the header shows the window closed and offers templates, not time left or Retry', async () => {
    // The webhook says the customer wrote a minute ago, but Meta (the sandbox) has no open window
    // with that phone: the free-form reply is accepted, then fails with 131047.
    const conv = await customerWrites('447700900301', 'Rita Late', 'Are you there?', new Date(Date.now() - 60_000));
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, `/admin/conversations/${conv.id}`);
    await signIn(page);
    const header = page.locator('.conv-header');
    await header.getByText(/Reply window: 23h/).waitFor();

    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Sorry for the wait!');
    await box.press('Enter');
    const failed = thread(page).locator('.msg-failed');
    await failed.getByText('Re-engagement message (131047)', { exact: false }).waitFor({ timeout: 20_000 });
    await header.getByText('Window closed').waitFor();
    expect(await header.getByText(/left/).count()).toBe(0);
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await failed.getByText('Send an approved template from the composer below.').waitFor();
    // The composer switched to templates.
    await page.getByText('The 24-hour window closed', { exact: false }).first().waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    expect((await s.admin(`/admin/api/conversations/${conv.id}`)).body.conversation.window.open).toBe(false);

    // After a reload, the same.
    await page.reload();
    await header.getByText('Window closed').waitFor();
    expect(await thread(page).locator('.msg-failed').getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await screenshot(page, 'admin-131047');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('labels days by when the message was written, on the local calendar', async () => {
    const now = Date.now();
    const old = new Date(now - 30 * 3600_000);
    const conv = await customerWrites('447700900302', 'Omar Old', 'Written thirty hours ago', old);
    await postSignedWebhook(
      s,
      inboundWebhook(s, {
        waId: '447700900302',
        name: 'Omar Old',
        wamid: `wamid.omar.now`,
        timestamp: new Date(now),
        message: { type: 'text', text: { body: 'Written just now' } },
      }),
    );
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, `/admin/conversations/${conv.id}`);
    await signIn(page);
    await thread(page).getByText('Written just now').waitFor();
    // The label above each message, as the browser's local calendar sees it.
    const labels = await page.evaluate(() => {
      const out: Record<string, string> = {};
      let day = '';
      for (const li of document.querySelectorAll('.msg-list > li')) {
        if (li.classList.contains('day-sep')) day = li.textContent ?? '';
        else out[li.querySelector('.msg-bubble')?.textContent?.includes('thirty hours') ? 'old' : 'now'] = day;
      }
      return out;
    });
    const expected = await page.evaluate((iso) => {
      const d = new Date(iso);
      const y = new Date();
      y.setDate(y.getDate() - 1);
      return d.toDateString() === y.toDateString() ? 'Yesterday' : 'earlier';
    }, old.toISOString());
    expect(labels.now).toBe('Today');
    expect(labels.old).not.toBe('Today');
    if (expected === 'Yesterday') expect(labels.old).toBe('Yesterday');
    else expect(labels.old).not.toBe('Yesterday');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a resolved conversation leaves the Open list live; assign, resolve and reopen appear in the timeline', async () => {
    const conv = await customerWrites('447700900303', 'Nia Resolve', 'Please close this when done', new Date());
    const { page, errors, context } = await openAdmin(browser, s, DESKTOP, `/admin/conversations/${conv.id}`);
    await signIn(page);
    await list(page)
      .getByRole('link', { name: /Nia Resolve/ })
      .waitFor();
    const me = (await s.admin('/admin/api/me')).body.user as { id: string; name: string };

    await page.locator('.conv-header').getByRole('combobox', { name: 'Assignee' }).selectOption(me.id);
    await thread(page).getByText(`${me.name} took this conversation`).waitFor();
    await page.locator('.conv-header').getByRole('button', { name: 'Resolve' }).click();
    await thread(page).getByText(`${me.name} resolved this conversation`).waitFor();
    // Gone from Open without a reload; the thread stays on screen.
    await waitFor(
      async () =>
        (await list(page)
          .getByRole('link', { name: /Nia Resolve/ })
          .count()) === 0,
      { message: 'left the Open list' },
    );
    await page.getByRole('heading', { name: 'Nia Resolve', level: 1 }).waitFor();

    // Another agent's change arrives live too.
    await s.admin(`/admin/api/conversations/${conv.id}`, { method: 'PATCH', body: { status: 'open' } });
    await thread(page).getByText(`${me.name} reopened this conversation`).waitFor();
    await list(page)
      .getByRole('link', { name: /Nia Resolve/ })
      .waitFor();

    await page.reload();
    for (const t of ['took', 'resolved', 'reopened']) await thread(page).getByText(`${me.name} ${t} this conversation`).waitFor();
    await screenshot(page, 'admin-timeline-events');
    expect(errors).toEqual([]);
    await context.close();
  });
});
