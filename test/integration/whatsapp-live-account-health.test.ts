/**
 * Live mode against a separately started Graph-compatible server (the sandbox harness on its own
 * port, which accepts any token until one is expired): an expired token (190/463) pauses the
 * number's sends, a new token saved by an admin resumes them and the reply reaches the phone; the
 * checklist sees the app unsubscribed from the account's webhooks and the admin's fix subscribes it;
 * a photo sent to a second number is downloaded with that number's token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, postWebhook } from '../support/whatsapp.ts';

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

  it('a photo sent to a second number is downloaded with that number’s token, not the default one', async () => {
    const second = await s.admin('/admin/api/settings/whatsapp-numbers', {
      body: { phone_number_id: '100000000000002', waba_id: '200000000000001', access_token: 'EAAlive-second-number-token' },
    });
    expect(second.status).toBe(201);
    // The default number's token stops working: a download with it would get 190.
    const expire = await fetch(`${h.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'token_expired', token: 'EAAlive-renewed-token' }),
    });
    expect(expire.status).toBe(201);

    // A file the phone sent (the sandbox holds it); its webhook, as Meta sends it to the second number.
    await fetch(`${h.url}/sandbox/subscribed-apps`, { method: 'DELETE' });
    const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';
    const photo = await h.phoneSends('447700935003', { type: 'image', image: { mime_type: 'image/png', data_base64: PNG } });
    await fetch(`${h.url}/sandbox/subscribed-apps`, { method: 'POST' });
    const mediaId = photo.body.media_id as string;
    expect(mediaId).toBeTruthy();
    const webhook = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '200000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550000002', phone_number_id: '100000000000002' },
                contacts: [{ profile: { name: 'Second Line' }, wa_id: '447700935003' }],
                messages: [
                  {
                    from: '447700935003',
                    id: 'wamid.second-number-photo',
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'image',
                    image: { id: mediaId, mime_type: 'image/png' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    expect((await postWebhook(s, webhook)).status).toBe(200);
    const c = await conversationOf(s, '447700935003');
    const m = await waitFor(async () => (await messagesOf(s, c.id)).find((x) => x.media?.ready) ?? null, { timeout: 15_000, message: 'photo downloaded' });
    expect(m.media).toMatchObject({ mime: 'image/png', ready: true });
  });
});
