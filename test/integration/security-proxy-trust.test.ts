/**
 * One rule for who may speak for a proxy. X-Forwarded-Proto / X-Forwarded-Host are believed only
 * from a peer that TRUSTED_PROXIES (or TRUST_PROXY) names, and then by everything alike: the
 * /admin socket's Origin check (both transports), the HTTP same-origin check, HSTS and the go-live
 * checklist. The server here trusts 127.0.0.1 as its proxy; a client connecting from 127.0.0.2
 * sends the very same headers and must change nothing.
 */
import http from 'node:http';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrom } from '../support/from-address.ts';
import { ADMIN, startTestServer, type TestServer } from '../support/server.ts';

const PROXY = '127.0.0.1';
const STRANGER = '127.0.0.2';
const CLAIMED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.org' };
const CLAIMED_ORIGIN = 'https://chat.example.org';

/** 'connected', or the server's refusal reason, for an /admin socket from `from`. */
function adminSocketFrom(url: string, from: string, transport: 'websocket' | 'polling', headers: Record<string, string>): Promise<string> {
  const agent = new http.Agent({ localAddress: from });
  return new Promise<string>((resolve) => {
    const sock = io(url + '/admin', {
      transports: [transport],
      extraHeaders: headers,
      localAddress: from,
      agent,
      reconnection: false,
      forceNew: true,
    } as never);
    const done = (result: string) => {
      sock.disconnect();
      agent.destroy();
      resolve(result);
    };
    sock.on('connect', () => done('connected'));
    sock.on('connect_error', (err) => done(err.message));
  });
}

describe('security: forwarded headers count only from a trusted proxy, everywhere alike', () => {
  let s: TestServer;
  let cookie: string;
  beforeAll(async () => {
    s = await startTestServer({ TRUSTED_PROXIES: PROXY, PUBLIC_URL: 'https://desk.example.com' });
    cookie = await s.signIn();
  });
  afterAll(() => s.stop());

  for (const transport of ['websocket', 'polling'] as const) {
    it(`the /admin socket's Origin check (${transport}): the proxy's word counts, a stranger's forged one does not`, async () => {
      const claimed = { ...CLAIMED, cookie, origin: CLAIMED_ORIGIN };
      expect(await adminSocketFrom(s.url, PROXY, transport, claimed)).toBe('connected');
      expect(await adminSocketFrom(s.url, STRANGER, transport, claimed)).toBe('forbidden origin');
      // The stranger's real origin still works: the forged headers were simply not believed.
      expect(await adminSocketFrom(s.url, STRANGER, transport, { ...CLAIMED, cookie, origin: s.url })).toBe('connected');
    });
  }

  it('the HTTP same-origin check agrees with the socket', async () => {
    const signIn = (from: string) =>
      requestFrom(from, `${s.url}/admin/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...CLAIMED, origin: CLAIMED_ORIGIN },
        body: JSON.stringify(ADMIN),
      });
    expect((await signIn(PROXY)).status).toBe(200);
    const forged = await signIn(STRANGER);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('bad_origin');
  });

  it('HSTS: sent when the proxy says HTTPS, never when a stranger does', async () => {
    const proxied = await requestFrom(PROXY, `${s.url}/healthz`, { headers: CLAIMED });
    expect(proxied.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    const forged = await requestFrom(STRANGER, `${s.url}/healthz`, { headers: CLAIMED });
    expect(forged.status).toBe(200);
    expect(forged.headers['strict-transport-security']).toBeUndefined();
  });

  it('the checklist: HTTPS is green through the proxy, red for a stranger who claims it', async () => {
    const httpsItem = async (from: string) => {
      const res = await requestFrom(from, `${s.url}/admin/api/checklist`, { headers: { ...CLAIMED, cookie } });
      expect(res.status).toBe(200);
      return (res.body.data as Array<{ id: string; ok: boolean; detail: string }>).find((i) => i.id === 'https')!;
    };
    expect((await httpsItem(PROXY)).ok).toBe(true);
    const forged = await httpsItem(STRANGER);
    expect(forged.ok).toBe(false);
    expect(forged.detail).toMatch(/bypassed the TLS proxy/);
  });
});
