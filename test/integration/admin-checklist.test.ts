/**
 * The go-live checklist in sandbox mode: every step is listed with a fix, the sandbox itself is
 * flagged as not live, HTTPS is checked as the request really came (PUBLIC_URL and the scheme seen
 * through a trusted proxy), and a webhook handshake is remembered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { adminRequest } from '../support/admin-request.ts';
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
  let sandbox: SandboxHarness;
  let live: TestServer;
  beforeAll(async () => {
    sandbox = await startSandboxHarness({ accessToken: 'checklist-live-token-7f3a9c' });
    live = await startTestServer({
      WHATSAPP_ACCESS_TOKEN: 'checklist-live-token-7f3a9c',
      WHATSAPP_GRAPH_URL: sandbox.graphUrl,
      WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
      WHATSAPP_WABA_ID: '200000000000001',
      WHATSAPP_WEBHOOK_SECRET: 'verify-token-for-tests',
      WHATSAPP_APP_SECRET: 'app-secret-for-tests',
    });
  });
  afterAll(async () => {
    await live?.stop();
    await sandbox?.close();
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
    const patched = await live.admin(`/admin/api/settings/whatsapp-numbers/${id}`, {
      method: 'PATCH',
      body: { access_token: 'EAAG-not-a-real-token-0000000000' },
    });
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

describe('admin checklist and HTTPS', () => {
  let s: TestServer;
  let behindProxy: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ PUBLIC_URL: 'https://desk.example.com' });
    behindProxy = await startTestServer({ PUBLIC_URL: 'https://desk.example.com', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await s?.stop();
    await behindProxy?.stop();
  });

  /** The checklist as the admin app sees it, optionally through a TLS proxy that says so. */
  async function httpsItemOf(server: TestServer, headers: Record<string, string> = {}): Promise<Item> {
    const cookie = await server.signIn();
    const res = await fetch(`${server.url}/admin/api/checklist`, { headers: { cookie, origin: server.url, ...headers } });
    expect(res.status).toBe(200);
    return byId(((await res.json()) as { data: Item[] }).data).https!;
  }

  it('is red when PUBLIC_URL says https but the page came over plain HTTP with TRUST_PROXY off, and says to set it', async () => {
    const item = await httpsItemOf(s);
    expect(item.ok).toBe(false);
    expect(item.detail).toMatch(/plain HTTP/);
    expect(item.detail).toContain('TRUST_PROXY is off');
    expect(item.fix).toMatch(/TRUST_PROXY=true/);
    // A client's X-Forwarded-Proto is not believed without TRUST_PROXY.
    expect((await httpsItemOf(s, { 'x-forwarded-proto': 'https' })).ok).toBe(false);
  });

  it('is red when a trusted proxy is bypassed (plain HTTP straight to the node)', async () => {
    const item = await httpsItemOf(behindProxy);
    expect(item.ok).toBe(false);
    expect(item.detail).toMatch(/bypassed the TLS proxy/);
    expect(item.fix).toContain('https://desk.example.com');
  });

  it('is green through the trusted TLS proxy, and gives the PUBLIC_URL webhook URL', async () => {
    const item = await httpsItemOf(behindProxy, { 'x-forwarded-proto': 'https' });
    expect(item.ok).toBe(true);
    expect(item.detail).toContain('https://desk.example.com');
    const connect = await adminRequest(behindProxy.url, '/admin/api/settings/whatsapp-connect', await behindProxy.signIn());
    expect(connect.body.webhook_url).toBe('https://desk.example.com/api/whatsapp/webhook');
  });

  it('is red with an http:// PUBLIC_URL even through the proxy', async () => {
    const plain = await startTestServer({ PUBLIC_URL: 'http://desk.example.com', TRUST_PROXY: 'true' });
    try {
      const item = await httpsItemOf(plain, { 'x-forwarded-proto': 'https' });
      expect(item.ok).toBe(false);
      expect(item.detail).toContain('PUBLIC_URL is http://desk.example.com');
    } finally {
      await plain.stop();
    }
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
