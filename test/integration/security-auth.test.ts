/**
 * Nobody let in: sessions, CSRF / cross-site WebSocket hijacking, brute force, headers, visitor
 * limits. Each test fails if its guarantee breaks.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };

describe('security: sessions, CSRF and the admin socket', () => {
  let s: TestServer;
  let cookie: string;
  beforeAll(async () => {
    s = await startTestServer();
    cookie = await s.signIn();
  });
  afterAll(() => s.stop());

  it('refuses cookie-authenticated state changes from another origin or without an Origin (403)', async () => {
    const conv = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: 'hi' }) }).then((r) => r.json());
    const send = (headers: Record<string, string>) =>
      s.fetch(`/admin/api/conversations/${conv.conversation_id}/messages`, {
        method: 'POST',
        headers: { ...json, cookie, ...headers },
        body: JSON.stringify({ message_type: 'text', text: 'from evil' }),
      });
    const evil = await send({ origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.code).toBe('bad_origin');
    expect((await send({})).status).toBe(403);
    expect((await send({ referer: 'https://evil.example/page' })).status).toBe(403);
    const list = await s.admin(`/admin/api/conversations/${conv.conversation_id}/messages`);
    expect(list.body.data.map((m: { text: string }) => m.text)).not.toContain('from evil');
    expect((await send({ origin: s.url })).status).toBe(201);
  });

  it('refuses a cross-origin sign-in', async () => {
    const res = await s.fetch('/admin/api/session', { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: JSON.stringify(ADMIN) });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('the /admin socket needs the session cookie and our own Origin', async () => {
    const tryConnect = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const sock = io(s.url + '/admin', { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
        sock.on('connect', () => {
          sock.disconnect();
          resolve('connected');
        });
        sock.on('connect_error', (err) => {
          sock.disconnect();
          resolve(err.message);
        });
      });
    expect(await tryConnect({ cookie, origin: 'https://evil.example' })).toBe('forbidden origin');
    expect(await tryConnect({ cookie })).toBe('forbidden origin');
    expect(await tryConnect({ origin: s.url })).toBe('unauthorized');
    expect(await tryConnect({ cookie: 'cd_session=forged', origin: s.url })).toBe('unauthorized');
    expect(await tryConnect({ cookie, origin: s.url })).toBe('connected');
  });

  it('serves the admin app with a CSP without inline script, no framing and a referrer policy', async () => {
    for (const p of ['/admin/', '/admin/api/me']) {
      const res = await s.fetch(p, { headers: { cookie } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('stores message text exactly as given and returns it as a JSON string', async () => {
    const hostile = `<img src=x onerror="alert(1)"><script>alert('x')</script> & "quotes"`;
    const r = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: hostile }) }).then((x) => x.json());
    const h = await s.fetch(`/api/messages?visitor_token=${r.visitor_token}`).then((x) => x.json());
    expect(h.data[0].text).toBe(hostile);
  });
});

describe('security: HTTPS behind a proxy', () => {
  it('marks the session cookie Secure only when the request came over HTTPS through a trusted proxy', async () => {
    const trusted = await startTestServer({ TRUST_PROXY: 'true' });
    const untrusted = await startTestServer();
    try {
      const signIn = (srv: TestServer) =>
        srv.fetch('/admin/api/session', {
          method: 'POST',
          headers: { ...json, 'x-forwarded-proto': 'https', 'x-forwarded-host': new URL(srv.url).host, origin: srv.url.replace('http:', 'https:') },
          body: JSON.stringify(ADMIN),
        });
      const a = await signIn(trusted);
      expect(a.status).toBe(200);
      expect(a.headers.get('set-cookie')!.toLowerCase()).toContain('secure');
      const b = await signIn(untrusted);
      // Not behind a trusted proxy: the https Origin does not match http://host, so it is refused.
      expect(b.status).toBe(403);
      const c = await untrusted.fetch('/admin/api/session', { method: 'POST', headers: { ...json, origin: untrusted.url }, body: JSON.stringify(ADMIN) });
      expect(c.headers.get('set-cookie')!.toLowerCase()).not.toContain('secure');
    } finally {
      await trusted.stop();
      await untrusted.stop();
    }
  });
});

describe('security: brute force', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const attempt = (email: string, password: string) =>
    s.fetch('/admin/api/session', { method: 'POST', headers: { ...json, origin: s.url }, body: JSON.stringify({ email, password }) });

  it('locks an account after repeated failures, even for the right password, with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(ADMIN.email, `wrong-${i}-password`)).status).toBe(401);
    const locked = await attempt(ADMIN.email, ADMIN.password);
    expect(locked.status).toBe(429);
    expect((await locked.json()).error.code).toBe('locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('rate-limits sign-in attempts per IP across accounts (429)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await attempt(`user${i}@example.com`, 'whatever-password')).status);
    expect(statuses.filter((x) => x === 401).length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe(429);
    const res = await attempt('someone@example.com', 'x-password');
    expect((await res.json()).error.code).toBe('rate_limited');
  });
});

describe('security: visitor limits', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('rate-limits one visitor sending too fast over the socket', async () => {
    const v = await s.visitorSocket();
    const acks = [];
    for (let i = 0; i < 35; i++) acks.push(await v.timeout(5000).emitWithAck('message:send', { text: `m${i}`, client_id: `c${i}` }));
    expect(acks.slice(0, 30).every((a) => a.ok)).toBe(true);
    expect(acks.at(-1)).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.any(String) } });
    const bad = await v.timeout(5000).emitWithAck('message:send', { text: 'x'.repeat(5000), client_id: 'long' });
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('validation_failed');
  });

  it('refuses binary payloads on every acknowledged event (zod would read bytes as an empty object)', async () => {
    const v = await s.visitorSocket();
    for (const event of ['identify', 'message:send', 'history'] as const) {
      const ack = await v.timeout(5000).emitWithAck(event, Buffer.from([0xff, 0x00, 0xfe]));
      expect(ack, event).toEqual({ ok: false, error: { code: 'validation_failed', message: 'payload: expected a JSON object, received binary data' } });
    }
    // The socket is still usable, and the visitor starts from scratch with real JSON.
    expect((await v.timeout(5000).emitWithAck('identify', { name: 'After bytes' })).ok).toBe(true);
    v.disconnect();
  });

  it('a flood of new connections is cut off per IP and stores nothing', async () => {
    const before = (await s.admin('/admin/api/conversations?limit=100')).body.data.length;
    const results = await Promise.all(
      Array.from({ length: 150 }, () =>
        new Promise<string>((resolve) => {
          const sock = io(s.url + '/visitor', { transports: ['websocket'], reconnection: false, forceNew: true });
          sock.on('connect', () => {
            sock.disconnect();
            resolve('ok');
          });
          sock.on('connect_error', (e) => {
            sock.disconnect();
            resolve(e.message);
          });
        }),
      ),
    );
    expect(results.filter((r) => r === 'ok').length).toBeLessThanOrEqual(120);
    expect(results).toContain('too many new connections from this address');
    expect((await s.fetch('/healthz')).status).toBe(200);
    expect((await s.admin('/admin/api/conversations?limit=100')).body.data.length).toBe(before);
  });

  it('rate-limits HTTP messages per IP (429 with Retry-After)', async () => {
    let last: Response | null = null;
    for (let i = 0; i < 65; i++) {
      last = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: `hello ${i}` }) });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toBeTruthy();
  });
});
