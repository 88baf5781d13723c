/**
 * Live mode against a separately started Graph-compatible server (the sandbox harness on its own
 * port, which accepts any token until one is expired): an expired token (190/463) pauses the
 * number's sends, a new token saved by an admin resumes them and the reply reaches the phone; the
 * checklist sees the app unsubscribed from the account's webhooks and the admin's fix subscribes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf } from '../support/whatsapp.ts';

const FIRST_TOKEN = 'EAAlive-first-system-user-token';

describe('live mode: token cycle and webhook subscription against a Graph-compatible URL', () => {
  let h: SandboxHarness;
  let s: TestServer;

  beforeAll(async () => {
    h = await startSandboxHarness({ accessToken: null, withWebhookUrl: false });
    s = await startTestServer({
      WHATSAPP_ACCESS_TOKEN: FIRST_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
      WHATSAPP_WABA_ID: '200000000000001',
      WHATSAPP_WEBHOOK_SECRET: 'b7e1c94f0a2d5e83',
      WHATSAPP_APP_SECRET: 'harness-app-secret',
      WHATSAPP_GRAPH_URL: h.graphUrl,
    });
    h.sandbox.setWebhookUrl(`${s.url}/api/whatsapp/webhook`);
  });
  afterAll(async () => {
    await s?.stop();
    await h?.close();
  });

  const checklist = async () => Object.fromEntries((await s.admin('/admin/api/checklist')).body.data.map((i: any) => [i.id, i]));

  it('expire → paused (agents still get 201) → new token saved → sent', async () => {
    const waId = '447700935001';
    expect((await h.phoneSends(waId, { type: 'text', text: { body: 'live hello' } })).body.webhook).toMatchObject({ ok: true });
    const c = await conversationOf(s, waId);

    const expire = await fetch(`${h.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'token_expired', token: FIRST_TOKEN }),
    });
    expect(expire.status).toBe(201);
    const sent = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'after the renewal' } });
    expect([sent.status, sent.body.message.status]).toEqual([201, 'queued']);
    const paused = await waitFor(async () => (await messagesOf(s, c.id)).find((m) => m.id === sent.body.message.id && m.error?.code === '190') ?? null);
    expect(paused.status).toBe('queued');
    const account = (await s.admin('/admin/api/whatsapp/account')).body;
    expect(account.sending_paused).toBe(true);
    expect((await checklist()).sending_not_paused.ok).toBe(false);
    expect(await h.inbox(waId)).toEqual([]);

    const number = account.numbers.find((n: any) => n.token_problem);
    const saved = await s.admin(`/admin/api/settings/whatsapp-numbers/${number.id}`, { method: 'PATCH', body: { access_token: 'EAAlive-renewed-token' } });
    expect([saved.status, saved.body.number.token_problem]).toEqual([200, null]);
    const received = await waitFor(async () => (await h.inbox(waId)).find((m: any) => m.text === 'after the renewal') ?? null, { timeout: 15_000 });
    expect(received).toBeTruthy();
    expect((await s.admin('/admin/api/whatsapp/account')).body.sending_paused).toBe(false);
    expect((await checklist()).sending_not_paused.ok).toBe(true);
  });

  it('the checklist sees the app unsubscribed; the fix subscribes it and webhooks flow again', async () => {
    const del = await fetch(`${h.graphUrl}/v25.0/200000000000001/subscribed_apps`, { method: 'DELETE', headers: { authorization: 'Bearer anything' } });
    expect(del.status).toBe(200);
    expect((await checklist()).webhook_subscribed.ok).toBe(false);
    expect((await h.phoneSends('447700935002', { type: 'text', text: { body: 'lost' } })).body.webhook).toMatchObject({ dropped: true });

    const fixed = await s.admin('/admin/api/whatsapp/subscription', { method: 'POST' });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toEqual({ subscribed: true, apps: ['ConnectDesk Sandbox'] });
    expect((await checklist()).webhook_subscribed.ok).toBe(true);
    expect((await h.phoneSends('447700935002', { type: 'text', text: { body: 'delivered again' } })).body.webhook).toMatchObject({ ok: true });
    const c = await conversationOf(s, '447700935002');
    const texts = (await messagesOf(s, c.id)).map((m) => m.text);
    expect(texts).toContain('delivered again');
    expect(texts).not.toContain('lost');
  });
});
