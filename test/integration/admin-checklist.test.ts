/**
 * The go-live checklist in sandbox mode: every step is listed with a fix, the sandbox itself is
 * flagged as not live, HTTPS follows PUBLIC_URL, and a webhook handshake is remembered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_TOKEN } from '../../server/src/sandbox/index.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';

interface Item {
  id: string;
  title: string;
  ok: boolean | null;
  detail: string;
  fix: string;
}

const byId = (items: Item[]) => Object.fromEntries(items.map((i) => [i.id, i]));

describe('admin checklist (sandbox mode)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('lists every go-live step with a fix and flags what sandbox mode lacks', async () => {
    const res = await s.admin('/admin/api/checklist');
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('sandbox');
    expect(res.body.ready).toBe(false);
    const items = byId(res.body.data);
    for (const id of [
      'live_mode',
      'token',
      'permissions',
      'phone_registered',
      'display_name',
      'quality_rating',
      'messaging_tier',
      'webhook_verified',
      'app_secret',
      'template_approved',
      'https',
      'target_phone',
      'business_verification',
      'payment_method',
    ]) {
      expect(items[id], id).toBeDefined();
      expect(items[id]!.title.length).toBeGreaterThan(5);
      expect(items[id]!.fix.length).toBeGreaterThan(10);
      expect([true, false, null]).toContain(items[id]!.ok);
    }
    expect(items.live_mode!.ok).toBe(false);
    // The sandbox answers debug_token and the phone number like Meta does for a healthy setup.
    expect(items.token!.ok).toBe(true);
    expect(items.permissions!.ok).toBe(true);
    expect(items.phone_registered!.ok).toBe(true);
    expect(items.quality_rating!.detail).toContain('GREEN');
    expect(items.template_approved!.ok).toBe(true);
    expect(items.business_verification!.ok).toBeNull();
    expect(items.https!.ok).toBe(false);
    expect(items.webhook_verified!.ok).toBe(false);
    expect(items.target_phone!.ok).toBe(true); // the sandbox owner's simulated phone
    expect(items.target_phone!.detail).toContain('15550100001');
    expect(JSON.stringify(res.body)).not.toContain(s.config.whatsapp.appSecret);
  });

  it('records Meta’s verification handshake and shows it as done', async () => {
    const q = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': 'abc' });
    expect((await s.fetch(`/api/whatsapp/webhook?${q}`)).status).toBe(403);
    expect(byId((await s.admin('/admin/api/checklist')).body.data).webhook_verified!.ok).toBe(false);

    q.set('hub.verify_token', s.config.whatsapp.verifyToken);
    const ok = await s.fetch(`/api/whatsapp/webhook?${q}`);
    expect(await ok.text()).toBe('abc');
    const item = await waitForItem(s, 'webhook_verified', (i) => i.ok === true);
    expect(item.detail).toMatch(/verified the webhook at \d{4}-/);
    const connect = await s.admin('/admin/api/settings/whatsapp-connect');
    expect(connect.body.verified_at).toMatch(/^\d{4}-/);
  });

  it('needs a signed-in agent', async () => {
    expect((await s.fetch('/admin/api/checklist')).status).toBe(401);
  });
});

describe('admin checklist in live mode (Meta played by a sandbox)', () => {
  let sandbox: TestServer;
  let live: TestServer;
  beforeAll(async () => {
    sandbox = await startTestServer();
    live = await startTestServer({
      WHATSAPP_ACCESS_TOKEN: SANDBOX_ACCESS_TOKEN,
      WHATSAPP_GRAPH_URL: `${sandbox.url}/sandbox/graph`,
      WHATSAPP_PHONE_NUMBER_ID: sandbox.config.whatsapp.phoneNumberId,
      WHATSAPP_WABA_ID: sandbox.config.whatsapp.wabaId,
      WHATSAPP_WEBHOOK_SECRET: 'verify-token-for-tests',
      WHATSAPP_APP_SECRET: 'app-secret-for-tests',
    });
  });
  afterAll(async () => {
    await live?.stop();
    await sandbox?.stop();
  });

  it('live mode, app secret and a healthy token count as done', async () => {
    const res = await live.admin('/admin/api/checklist');
    expect(res.body.mode).toBe('live');
    const items = byId(res.body.data);
    expect(items.live_mode!.ok).toBe(true);
    expect(items.app_secret!.ok).toBe(true);
    expect(items.token!.ok).toBe(true);
    expect(items.token!.detail).toContain('WHATSAPP_ACCESS_TOKEN');
    expect(items.phone_registered!.ok).toBe(true);
    expect(items.template_approved!.ok).toBe(true);
  });

  it('a saved token Meta refuses makes the token step fail with the reason, never echoing the token', async () => {
    const numbers = await live.admin('/admin/api/settings/whatsapp-numbers');
    const id = numbers.body.data.find((n: { phone_number_id: string }) => n.phone_number_id === live.config.whatsapp.phoneNumberId).id;
    const patched = await live.admin(`/admin/api/settings/whatsapp-numbers/${id}`, { method: 'PATCH', body: { access_token: 'EAAG-not-a-real-token-0000000000' } });
    expect(patched.status).toBe(200);
    try {
      const items = byId((await live.admin('/admin/api/checklist')).body.data);
      expect(items.token!.ok).toBe(false);
      expect(items.token!.detail).toMatch(/token saved in Settings/);
      expect(JSON.stringify(items)).not.toContain('EAAG-not-a-real-token');
    } finally {
      await live.admin(`/admin/api/settings/whatsapp-numbers/${id}`, { method: 'PATCH', body: { access_token: null } });
    }
    expect(byId((await live.admin('/admin/api/checklist')).body.data).token!.ok).toBe(true);
  });
});

describe('admin checklist behind an HTTPS proxy', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ PUBLIC_URL: 'https://desk.example.com' });
  });
  afterAll(() => s.stop());

  it('counts HTTPS as done when PUBLIC_URL is https and gives that webhook URL', async () => {
    const items = byId((await s.admin('/admin/api/checklist')).body.data);
    expect(items.https!.ok).toBe(true);
    const connect = await s.admin('/admin/api/settings/whatsapp-connect');
    expect(connect.body.webhook_url).toBe('https://desk.example.com/api/whatsapp/webhook');
  });
});

function waitForItem(s: TestServer, id: string, pred: (i: Item) => boolean): Promise<Item> {
  return waitFor(
    async () => {
      const item = byId((await s.admin('/admin/api/checklist')).body.data)[id]!;
      return pred(item) ? item : null;
    },
    { timeout: 5000, message: `checklist item ${id}` },
  );
}
