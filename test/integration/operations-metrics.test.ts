/**
 * `GET /metrics`: Prometheus text for the holder of METRICS_TOKEN only, off (404) without one, and
 * every ConnectDesk metric moving while a real server does real work — a customer's signed
 * webhook, an agent's reply through the sandbox's Graph API, a visitor's message whose forward to
 * the owner waits in the outbox while the Graph API fails, a burst of deliveries, open sockets.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMetrics, scrape, type Scrape } from '../support/metrics.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { clearFaults, conversationOf, customerText, injectFault, messagesWebhook, postWebhook } from '../support/whatsapp.ts';

const TOKEN = randomBytes(24).toString('hex');
const json = { 'content-type': 'application/json' };

/** Runs `work` over `items`, `width` at a time. */
async function inPool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('GET /metrics', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => s?.stop());

  it('answers only the bearer of METRICS_TOKEN', async () => {
    const none = await s.fetch('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await none.json()).error).toEqual({ code: 'unauthorized', message: 'send the metrics token as Authorization: Bearer <METRICS_TOKEN>' });

    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, TOKEN]) {
      const wrong = await s.fetch('/metrics', { headers: { authorization } });
      expect(wrong.status, authorization).toBe(401);
      const body = await wrong.text();
      expect(body).not.toContain('connectdesk_');
      expect(JSON.parse(body).error.code).toBe('unauthorized');
    }

    const right = await s.fetch('/metrics', { headers: { authorization: `bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(right.headers.get('cache-control')).toBe('no-store');
    const metrics = parseMetrics(await right.text());
    // Node's process metrics come with ConnectDesk's own.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(metrics.has(name), name).toBe(true);
    }
  });

  it('is off without METRICS_TOKEN: 404 that says how to turn it on', async () => {
    const off = await startTestServer();
    try {
      const res = await off.fetch('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect((await res.json()).error).toEqual({ code: 'not_found', message: 'metrics are off: set METRICS_TOKEN to serve them at /metrics' });
    } finally {
      await off.stop();
    }
  });

  it('moves every ConnectDesk metric between two scrapes of a working server', async () => {
    const before = await scrape(s.url, TOKEN);
    expect(before.value('connectdesk_outbox_pending')).toBe(0);
    expect(before.value('connectdesk_outbox_oldest_age_seconds')).toBe(0);
    expect(before.value('connectdesk_webhook_backlog')).toBe(0);
    expect(before.value('connectdesk_sockets', { namespace: '/admin' })).toBe(0);
    expect(before.value('connectdesk_sockets', { namespace: '/visitor' })).toBe(0);

    // An agent and a visitor are connected.
    const cookie = await s.signIn();
    await s.adminSocket(cookie);
    await s.visitorSocket();

    // A customer writes on WhatsApp (a signed webhook); an agent answers through the Graph API.
    const waId = '447700902001';
    expect((await postWebhook(s, messagesWebhook(s, customerText(waId, 'hello from WhatsApp')))).status).toBe(200);
    const c = await conversationOf(s, waId);
    // A visitor writes on the website: the forward reaches the owner's phone through the Graph API.
    const posted = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: 'hello from the website', name: 'Ana' }) });
    expect(posted.status).toBe(201);
    await waitFor(
      async () => (await scrape(s.url, TOKEN)).value('connectdesk_graph_requests_total', { endpoint: 'messages', outcome: 'ok', code: '200' }) >= 1,
      {
        message: 'the forward to be sent',
      },
    );

    // The Graph API fails for a while: the agent's answer waits in the outbox for its retry.
    await injectFault(s, 'http_500', 50); // until clearFaults below: the answer must still wait at the second scrape
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'hello from the team' } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const waitingScrape = await waitFor(
      async () => {
        const m = await scrape(s.url, TOKEN);
        return m.value('connectdesk_outbox_pending') >= 1 && m.value('connectdesk_outbox_oldest_age_seconds') > 0 ? m : null;
      },
      { message: 'the answer to wait in the outbox' },
    );
    await waitFor(
      async () => (await scrape(s.url, TOKEN)).value('connectdesk_graph_requests_total', { endpoint: 'messages', outcome: 'error', code: 'http_500' }) >= 1,
      {
        message: 'a send to fail once',
      },
    );

    // A burst of deliveries: the second scrape is taken while it is still being stored and applied.
    const burst = Array.from({ length: 300 }, (_, i) => customerText(`4477009100${String(i).padStart(3, '0')}`, `burst ${i}`));
    let acked = 0;
    const sending = inPool(burst, 16, async (value) => {
      const res = await postWebhook(s, messagesWebhook(s, value));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      acked++;
    });
    await waitFor(() => acked >= 60, { message: 'the burst to be under way' });
    const after: Scrape = await scrape(s.url, TOKEN);
    await sending;

    const moved = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(waitingScrape.value('connectdesk_outbox_pending')).toBeGreaterThanOrEqual(1);
    expect(waitingScrape.value('connectdesk_outbox_oldest_age_seconds')).toBeGreaterThan(0);
    expect(after.value('connectdesk_webhook_backlog')).toBeGreaterThan(0);
    expect(moved('connectdesk_webhook_apply_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(moved('connectdesk_graph_requests_total', { endpoint: 'messages', outcome: 'ok', code: '200' })).toBeGreaterThanOrEqual(1);
    expect(moved('connectdesk_graph_requests_total', { endpoint: 'messages', outcome: 'error', code: 'http_500' })).toBeGreaterThanOrEqual(1);
    expect(moved('connectdesk_graph_request_seconds_count', { endpoint: 'messages' })).toBeGreaterThanOrEqual(2);
    expect(moved('connectdesk_sockets', { namespace: '/admin' })).toBe(1);
    expect(moved('connectdesk_sockets', { namespace: '/visitor' })).toBe(1);
    expect(moved('connectdesk_messages_total', { direction: 'inbound', channel: 'web' })).toBe(1);
    expect(moved('connectdesk_messages_total', { direction: 'outbound', channel: 'whatsapp' })).toBe(1);
    expect(moved('connectdesk_messages_total', { direction: 'inbound', channel: 'whatsapp' })).toBeGreaterThanOrEqual(1);
    expect(moved('connectdesk_http_request_seconds_count', { route: '/api/messages', status: '201' })).toBe(1);
    expect(moved('connectdesk_http_request_seconds_count', { route: '/api/whatsapp/webhook', status: '200' })).toBeGreaterThanOrEqual(61);
    expect(moved('connectdesk_http_request_seconds_count', { route: '/admin/api/conversations/:id/messages', status: '201' })).toBe(1);

    // The route label is the router's template: the conversation's id never becomes a label.
    const routes = new Set(after.samples.filter((x) => x.name === 'connectdesk_http_request_seconds_count').map((x) => x.labels.route!));
    expect([...routes].filter((r) => r.includes(c.id))).toEqual([]);
    expect(routes).toContain('/admin/api/conversations');

    // Once the Graph API is back and the burst applied, the gauges come down again.
    await clearFaults(s);
    const settled = await waitFor(
      async () => {
        const m = await scrape(s.url, TOKEN);
        return m.value('connectdesk_outbox_pending') === 0 && m.value('connectdesk_webhook_backlog') === 0 ? m : null;
      },
      { timeout: 30_000, message: 'the outbox and the webhook backlog to drain' },
    );
    expect(settled.value('connectdesk_outbox_oldest_age_seconds')).toBe(0);
    expect(
      settled.value('connectdesk_messages_total', { direction: 'inbound', channel: 'whatsapp' }) -
        before.value('connectdesk_messages_total', { direction: 'inbound', channel: 'whatsapp' }),
    ).toBe(301);
    // Every delivery applied was measured: the 301 customer messages and the sandbox's status webhooks.
    expect(settled.value('connectdesk_webhook_apply_lag_seconds_count') - before.value('connectdesk_webhook_apply_lag_seconds_count')).toBeGreaterThanOrEqual(
      301,
    );
  });

  it('keeps two servers in one process apart: each counts only its own work', async () => {
    const other = await startTestServer({ METRICS_TOKEN: TOKEN });
    try {
      const [mine, theirs] = await Promise.all([scrape(s.url, TOKEN), scrape(other.url, TOKEN)]);
      const posted = await other.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: 'to the other server' }) });
      expect(posted.status).toBe(201);
      const [mineAfter, theirsAfter] = await Promise.all([scrape(s.url, TOKEN), scrape(other.url, TOKEN)]);
      const web = { direction: 'inbound', channel: 'web' };
      expect(theirsAfter.value('connectdesk_messages_total', web) - theirs.value('connectdesk_messages_total', web)).toBe(1);
      expect(mineAfter.value('connectdesk_messages_total', web)).toBe(mine.value('connectdesk_messages_total', web));
    } finally {
      await other.stop();
    }
  });
});
