/** Live mode (a real access token): no sandbox anywhere, webhooks checked with the configured app secret. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { conversationOf, customerText, messagesWebhook, postWebhook, sign } from '../support/whatsapp.ts';

describe('live mode', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      WHATSAPP_ACCESS_TOKEN: 'EAAtest-live-token-never-shown',
      WHATSAPP_PHONE_NUMBER_ID: '123456789012345',
      WHATSAPP_WEBHOOK_SECRET: 'b7e1c94f0a2d5e83',
      WHATSAPP_APP_SECRET: 'f3a9c0e1d2b47586a9c1e0f2d3b4a5c6',
      // Nothing listens here: Graph calls fail fast instead of reaching Meta from a test.
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(() => s.stop());

  it('serves no sandbox', async () => {
    for (const p of ['/sandbox/', '/sandbox/faults', '/sandbox/graph/v25.0/123456789012345/messages', '/sandbox/phones/15550001111/inbox']) {
      const res = await s.fetch(p);
      expect(res.status, p).toBe(404);
    }
    const post = await s.fetch('/sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"network","count":1}' });
    expect(post.status).toBe(404);
  });

  it('accepts webhooks signed with the configured app secret only', async () => {
    const body = JSON.stringify(messagesWebhook(s, customerText('447700904001', 'live hello')));
    expect((await postWebhook(s, body, { signature: sign(body, 'some-other-secret') })).status).toBe(401);
    expect((await postWebhook(s, body, { signature: sign(body, 'f3a9c0e1d2b47586a9c1e0f2d3b4a5c6') })).status).toBe(200);
    expect((await conversationOf(s, '447700904001')).contact.wa_id).toBe('447700904001');
  });

  it('keeps a reply queued (and the token out of every answer) while the Cloud API is unreachable', async () => {
    const c = await conversationOf(s, '447700904001');
    const res = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'queued while offline' } });
    expect(res.status).toBe(201);
    expect(res.body.message.status).toBe('queued');
    expect(JSON.stringify(res.body)).not.toContain('EAAtest');
    const templates = await s.admin('/admin/api/templates/sync', { method: 'POST' });
    expect(templates.status).toBe(503);
    expect(templates.body.error.code).toBe('unavailable');
    expect(JSON.stringify(templates.body)).not.toContain('EAAtest');
  });
});
