/**
 * The satisfaction survey in the widget, in Chromium on a cross-origin page: nothing of it loads
 * until an agent resolves the chat; then "How did we do?" appears (its own small chunk), the
 * visitor picks a rating with the keyboard, adds a comment and sends; it lands in the conversation
 * and the reports, and a reload shows no survey any more.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage, screenshot } from './pages/widget-harness.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';

describe('widget: satisfaction survey', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;
  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  it('asks when the chat is resolved, loads its UI then, and records one answer', async () => {
    const p = await openHostPage(browser, hostUrl(host.url));
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.fill('Can I change my delivery address?');
    await box.press('Enter');
    const log = p.page.getByRole('log');
    await log.getByText('Sent', { exact: true }).waitFor();
    const conversation = await waitFor(async () =>
      (await s.admin('/admin/api/conversations?limit=20')).body.data.find((c: any) => c.last_message_preview?.startsWith('Can I change')),
    );
    await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text: 'Yes, until it ships.' } });
    await log.getByText('Yes, until it ships.').waitFor();
    expect(p.requests.some((u) => /survey-card/.test(u))).toBe(false);

    expect((await s.admin(`/admin/api/conversations/${conversation.id}`, { method: 'PATCH', body: { status: 'resolved' } })).status).toBe(200);
    const survey = p.page.getByRole('group', { name: 'How did we do?' });
    await survey.waitFor();
    expect(p.requests.some((u) => /\/widget\/survey-card-[\w-]{8,}\.js$/.test(u))).toBe(true);
    const send = survey.getByRole('button', { name: 'Send rating' });
    expect(await send.isDisabled()).toBe(true);

    // Keyboard: the ratings are radio buttons — arrow keys move between them.
    await survey.getByRole('radio', { name: '1 out of 5: Very poor' }).focus();
    for (let i = 0; i < 3; i++) await p.page.keyboard.press('ArrowRight');
    expect(await survey.getByRole('radio', { name: '4 out of 5: Good' }).isChecked()).toBe(true);
    await survey.getByRole('textbox', { name: /Anything to add/ }).fill('Quick and clear');
    await screenshot(p.page, 'widget-survey');
    await send.click();
    await survey.getByRole('status').getByText('Thanks for your feedback!').waitFor();

    const messages = (await s.admin(`/admin/api/conversations/${conversation.id}/messages`)).body.data as any[];
    expect(messages.at(-1)).toMatchObject({ direction: 'inbound', type: 'interactive', text: 'Rated 4 of 5 (Good) — Quick and clear' });
    const today = new Date().toISOString().slice(0, 10);
    const report = (await s.admin(`/admin/api/reports/satisfaction?from=${today}&to=${today}&tz=UTC`)).body;
    expect(report).toMatchObject({ asked: 1, responses: 1, average: 4, distribution: { '4': 1 } });

    // Answered: after a reload the survey is gone; the answer stays in the chat.
    await p.page.reload();
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    await p.page.getByRole('log').getByText('Rated 4 of 5 (Good) — Quick and clear').waitFor();
    expect(await p.page.getByRole('group', { name: 'How did we do?' }).count()).toBe(0);
    expect(p.errors).toEqual([]);
    await p.context.close();
  });
});
