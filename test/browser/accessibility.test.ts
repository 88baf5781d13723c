/**
 * axe-core over everything a person sees: the demo page, the widget (closed, open, with messages,
 * right to left) and every admin page, at 1366×768 and 375×667, light and dark. Zero violations,
 * every rule axe has (WCAG 2.x A/AA and best practices). Screenshots of each land in .tmp/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl } from './pages/widget-harness.ts';
import { inboundWebhook, phoneSends, postSignedWebhook, screenshot, signIn } from './support/admin-app.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';

const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 375, height: 667 } } as const;
const THEMES = ['light', 'dark'] as const;

describe('accessibility (axe-core)', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;
  let webConversation: string;
  let waConversation: string;

  beforeAll(async () => {
    ({ server: s, host, browser } = await startWidgetSuite());
    // Something to look at: a web chat with a reply and a timeline event, a WhatsApp chat with a
    // failed reply (outside the window), a simulated phone with messages.
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hi, do you ship to Lisbon?', name: 'Ana Lima' }),
    });
    webConversation = ((await res.json()) as { conversation_id: string }).conversation_id;
    await s.admin(`/admin/api/conversations/${webConversation}/messages`, { body: { message_type: 'text', text: 'Yes — 3 to 5 days.' } });
    await s.admin(`/admin/api/conversations/${webConversation}/messages`, { body: { message_type: 'note', text: 'Regular customer.' } });
    const me = (await s.admin('/admin/api/me')).body.user as { id: string };
    await s.admin(`/admin/api/conversations/${webConversation}`, { method: 'PATCH', body: { assignee_id: me.id } });
    await phoneSends(s, '447700900501', { type: 'text', text: { body: 'Is my order on its way?' } });
    await postSignedWebhook(
      s,
      inboundWebhook(s, {
        waId: '447700900502',
        name: 'Rui Costa',
        wamid: 'wamid.a11y.1',
        timestamp: new Date(Date.now() - 60_000),
        message: { type: 'text', text: { body: 'Hello?' } },
      }),
    );
    const list = await waitFor(async () => {
      const data = (await s.admin('/admin/api/conversations?limit=100')).body.data as { id: string; contact: { wa_id: string | null } }[];
      return data.find((c) => c.contact.wa_id === '447700900502') ? data : null;
    });
    waConversation = list.find((c) => c.contact.wa_id === '447700900502')!.id;
    await s.admin(`/admin/api/conversations/${waConversation}/messages`, { body: { message_type: 'text', text: 'Sorry for the wait' } });
    await waitFor(
      async () => ((await s.admin(`/admin/api/conversations/${waConversation}/messages`)).body.data as { status: string }[]).some((m) => m.status === 'failed'),
      {
        timeout: 20_000,
        message: 'the reply failed with 131047',
      },
    );
  });
  afterAll(() => stopSuite({ server: s, host, browser }));

  async function context(
    size: keyof typeof SIZES,
    theme: (typeof THEMES)[number],
    opts: { locale?: string } = {},
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: SIZES[size], colorScheme: theme, locale: opts.locale });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    return { context, page, errors };
  }

  /** axe on what is on screen now; the name says where, in a failure and in the screenshot. */
  async function check(page: Page, name: string, found: Record<string, string[]>): Promise<void> {
    await page.waitForLoadState('networkidle');
    await screenshot(page, `a11y-${name}`);
    const violations = describeViolations(await axeViolations(page));
    if (violations.length) found[name] = violations;
  }

  for (const theme of THEMES) {
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
      it(`admin pages, ${size}, ${theme}: no violations`, async () => {
        const found: Record<string, string[]> = {};
        const { context: ctx, page, errors } = await context(size, theme);
        const at = (what: string) => `admin-${size}-${theme}-${what}`;
        await page.goto(`${s.url}/admin/`);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        await check(page, at('sign-in'), found);
        await signIn(page);
        await page.getByRole('list', { name: 'Conversation list' }).getByRole('link').first().waitFor();
        await check(page, at('inbox'), found);
        if (size === 'phone') {
          await page.getByRole('button', { name: /^Menu/ }).click();
          await check(page, at('menu'), found);
          await page.keyboard.press('Escape');
        }
        await page.goto(`${s.url}/admin/conversations/${webConversation}`);
        await page.getByRole('list', { name: 'Messages' }).getByText('Yes — 3 to 5 days.').waitFor();
        await check(page, at('web-conversation'), found);
        if (size === 'desktop') {
          // The contact panel is beside the thread on a desktop, behind "Contact" on smaller screens.
          await page.setViewportSize({ width: 1024, height: 768 });
          await page.getByRole('button', { name: 'Contact' }).click();
          await check(page, at('contact-panel'), found);
          await page.setViewportSize(SIZES[size]);
        }
        await page.goto(`${s.url}/admin/conversations/${waConversation}`);
        await page.getByText('Re-engagement message (131047)', { exact: false }).waitFor();
        await check(page, at('whatsapp-template-mode'), found);
        for (const path of ['templates', 'checklist', 'phones']) {
          await page.goto(`${s.url}/admin/${path}`);
          await page.getByRole('heading', { level: 1 }).first().waitFor();
          await check(page, at(path), found);
        }
        // Reports: the charts as drawn, then one card as its table.
        await page.goto(`${s.url}/admin/reports`);
        await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
        await page.locator('.reports[aria-busy="false"]').waitFor();
        await page.locator('[data-report="messages"] canvas').first().waitFor();
        await check(page, at('reports'), found);
        await page.getByRole('group', { name: 'Messages: show as' }).getByRole('button', { name: 'Table' }).click();
        await page.getByRole('region', { name: 'Messages table' }).waitFor();
        await check(page, at('reports-table'), found);
        for (const tab of ['whatsapp', 'widget', 'team', 'tokens', 'canned', 'account']) {
          await page.goto(`${s.url}/admin/settings#${tab}`);
          await page.getByRole('tabpanel').waitFor();
          await check(page, at(`settings-${tab}`), found);
        }
        expect(found).toEqual({});
        expect(errors).toEqual([]);
        await ctx.close();
      });

      it(`widget and demo page, ${size}, ${theme}: no violations`, async () => {
        const found: Record<string, string[]> = {};
        for (const lang of ['en', 'ar']) {
          const { context: ctx, page, errors } = await context(size, theme);
          const at = (what: string) => `widget-${size}-${theme}-${lang}-${what}`;
          await page.goto(hostUrl(host.url, { lang }).replace('/hostile.html', '/plain.html'));
          const launcher = page.locator('connectdesk-widget').locator('button.l');
          await launcher.waitFor();
          await check(page, at('closed'), found);
          await launcher.click();
          const box = page.locator('connectdesk-widget').locator('textarea');
          await box.waitFor();
          await check(page, at('open'), found);
          await box.fill(lang === 'ar' ? 'مرحبا، هل يمكنكم المساعدة؟' : 'Hello, can you help?');
          await box.press('Enter');
          await page.locator('connectdesk-widget').locator('.m.me').first().waitFor();
          const conv = await waitFor(async () => {
            const data = (await s.admin('/admin/api/conversations?limit=100')).body.data as { id: string; last_message_preview: string }[];
            return data.find((c) => c.last_message_preview === (lang === 'ar' ? 'مرحبا، هل يمكنكم المساعدة؟' : 'Hello, can you help?'));
          });
          await s.admin(`/admin/api/conversations/${conv.id}/messages`, { body: { message_type: 'text', text: 'Of course! See https://example.com/help' } });
          await page.locator('connectdesk-widget').getByText('Of course!', { exact: false }).waitFor();
          await check(page, at('messages'), found);
          expect(errors).toEqual([]);
          await ctx.close();
        }
        const { context: ctx, page, errors } = await context(size, theme);
        await page.goto(`${s.url}/`);
        await page.getByRole('button', { name: 'Open chat' }).waitFor();
        await check(page, `demo-${size}-${theme}`, found);
        expect(found).toEqual({});
        expect(errors).toEqual([]);
        await ctx.close();
      });
    }
  }
});
