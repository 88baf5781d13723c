/**
 * The widget where WebSockets cannot be used (an old proxy, a corporate filter): the chat works over HTTP long-polling alone — the visitor's messages reach the agent, and
 * the agent's reply, typing and quick replies reach the visitor live — with the widget's own
 * transports (WebSocket, and polling over `fetch`; widget/build/socket-transports.ts).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type TestServer } from '../support/server.ts';
import { startWidgetSuite, stopSuite } from './support/suite.ts';
import type { HostServer } from './pages/host-server.ts';
import { hostUrl, openHostPage } from './pages/widget-harness.ts';

describe('widget over HTTP long-polling only', () => {
  let s: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => ({ server: s, host, browser } = await startWidgetSuite()));
  afterAll(() => stopSuite({ server: s, host, browser }));

  it('chats both ways live when every WebSocket is refused', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    // As behind a proxy that refuses the WebSocket upgrade: every WebSocket the page opens fails
    // (here by going to a closed port: the browser reports an error, then the close).
    await context.addInitScript(() => {
      const Real = window.WebSocket;
      const Refused = function (_url: string | URL, protocols?: string | string[]) {
        return new Real('ws://127.0.0.1:9/', protocols);
      } as unknown as typeof WebSocket;
      Object.assign(Refused, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
      window.WebSocket = Refused;
    });
    const p = await openHostPage(browser, hostUrl(host.url), { context });
    await p.page.getByRole('button', { name: 'Open chat' }).click();
    const box = p.page.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello without WebSockets');
    await box.press('Enter');
    const log = p.page.getByRole('log');
    await log.getByText('Sent', { exact: true }).waitFor();

    const conv = await waitFor(
      async () => {
        for (const c of (await s.admin('/admin/api/conversations?channel=web&limit=50')).body.data as { id: string }[]) {
          const texts = ((await s.admin(`/admin/api/conversations/${c.id}/messages`)).body.data as { text: string }[]).map((m) => m.text);
          if (texts.includes('Hello without WebSockets')) return c;
        }
        return null;
      },
      { message: 'the visitor message stored' },
    );

    const agent = await s.adminSocket(await s.signIn());
    agent.emit('typing', { conversation_id: conv.id, on: true });
    await p.page.getByRole('status', { name: /is typing/ }).waitFor();
    expect((await s.admin(`/admin/api/conversations/${conv.id}/messages`, { body: { message_type: 'text', text: 'Polling works too.' } })).status).toBe(201);
    await log.getByText('Polling works too.').waitFor();
    const offer = {
      message_type: 'interactive',
      interactive: {
        kind: 'buttons',
        body: 'Did that help?',
        buttons: [
          { id: 'yes', title: 'Yes' },
          { id: 'no', title: 'No' },
        ],
      },
    };
    expect((await s.admin(`/admin/api/conversations/${conv.id}/messages`, { body: offer })).status).toBe(201);
    await p.page.getByRole('button', { name: 'Yes', exact: true }).click();
    await waitFor(async () =>
      ((await s.admin(`/admin/api/conversations/${conv.id}/messages`)).body.data as { interactive_reply?: { id: string } | null }[]).some(
        (m) => m.interactive_reply?.id === 'yes',
      ),
    );
    agent.close();

    // Everything went over polling: the socket's requests were HTTP.
    expect(p.requests.some((u) => u.includes('/socket.io/') && u.includes('transport=polling'))).toBe(true);
    // The browser reports each refused WebSocket in the console; nothing else may go wrong.
    expect(p.errors.filter((e) => !e.startsWith("WebSocket connection to 'ws://127.0.0.1:9/' failed"))).toEqual([]);
    await context.close();
  });
});
