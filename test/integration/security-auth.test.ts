/**
 * Nobody let in: sessions, CSRF / cross-site WebSocket hijacking, brute force, headers, visitor
 * limits. Each test fails if its guarantee breaks.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrom } from '../support/from-address.ts';
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

  it('refuses a sign-in with no Origin, a `null` Origin or a plain form post (login CSRF); our own Origin or Referer signs in', async () => {
    const signIn = (headers: Record<string, string>, body = JSON.stringify(ADMIN)) => s.fetch('/admin/api/session', { method: 'POST', headers, body });
    const form = new URLSearchParams(ADMIN).toString();
    for (const [label, res] of [
      ['no Origin', await signIn(json)],
      ['Origin: null', await signIn({ ...json, origin: 'null' })],
      ['Origin: null with our Referer', await signIn({ ...json, origin: 'null', referer: `${s.url}/admin/` })],
      ['form post', await signIn({ 'content-type': 'application/x-www-form-urlencoded' }, form)],
      ['form post, Origin: null', await signIn({ 'content-type': 'application/x-www-form-urlencoded', origin: 'null' }, form)],
      ['other scheme', await signIn({ ...json, origin: s.url.replace('http:', 'https:') })],
    ] as const) {
      expect(res.status, label).toBe(403);
      expect((await res.json()).error.code, label).toBe('bad_origin');
      expect(res.headers.get('set-cookie'), label).toBeNull();
    }
    expect((await signIn({ ...json, origin: s.url })).status).toBe(200);
    expect((await signIn({ ...json, referer: `${s.url}/admin/` })).status).toBe(200);
  });

  it('Bearer-token scripts need no Origin, for reading or writing', async () => {
    const token = (await s.admin('/admin/api/tokens', { body: { name: 'origin-free script' } })).body.token as string;
    const conv = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: 'for the script' }) }).then((r) => r.json());
    const auth = { authorization: `Bearer ${token}` };
    expect((await s.fetch('/admin/api/conversations', { headers: auth })).status).toBe(200);
    const sent = await s.fetch(`/admin/api/conversations/${conv.conversation_id}/messages`, {
      method: 'POST',
      headers: { ...json, ...auth },
      body: JSON.stringify({ message_type: 'text', text: 'from a script' }),
    });
    expect(sent.status).toBe(201);
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

  it('the /admin socket compares the whole Origin: the same host over another scheme or port is refused', async () => {
    const tryConnect = (origin: string) => adminSocketAttempt(s.url, { cookie, origin });
    const { hostname, port } = new URL(s.url);
    expect(await tryConnect(`https://${hostname}:${port}`)).toBe('forbidden origin');
    expect(await tryConnect(`ws://${hostname}:${port}`)).toBe('forbidden origin');
    expect(await tryConnect(`http://${hostname}:${Number(port) + 1}`)).toBe('forbidden origin');
    expect(await tryConnect('null')).toBe('forbidden origin');
    expect(await tryConnect(s.url)).toBe('connected');
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

/** 'connected', or the server's refusal reason. */
function adminSocketAttempt(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise<string>((resolve) => {
    const sock = io(url + '/admin', { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
    sock.on('connect', () => {
      sock.disconnect();
      resolve('connected');
    });
    sock.on('connect_error', (err) => {
      sock.disconnect();
      resolve(err.message);
    });
  });
}

describe('security: the admin socket behind a TLS proxy', () => {
  it('with TRUST_PROXY, takes the scheme from X-Forwarded-Proto: an http Origin is refused when the client came over https', async () => {
    const s = await startTestServer({ TRUST_PROXY: 'true' });
    try {
      const host = new URL(s.url).host;
      const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-host': host };
      const signIn = await s.fetch('/admin/api/session', {
        method: 'POST',
        headers: { ...json, ...viaProxy, origin: `https://${host}` },
        body: JSON.stringify(ADMIN),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      expect(await adminSocketAttempt(s.url, { ...viaProxy, cookie, origin: `http://${host}` })).toBe('forbidden origin');
      expect(await adminSocketAttempt(s.url, { ...viaProxy, cookie, origin: `https://${host}` })).toBe('connected');
    } finally {
      await s.stop();
    }
  });

  it('with PUBLIC_URL, accepts exactly that origin and not the same host over http', async () => {
    const s = await startTestServer({ PUBLIC_URL: 'https://desk.example.com' });
    try {
      const cookie = await s.signIn();
      expect(await adminSocketAttempt(s.url, { cookie, origin: 'http://desk.example.com' })).toBe('forbidden origin');
      expect(await adminSocketAttempt(s.url, { cookie, origin: 'https://desk.example.com:8443' })).toBe('forbidden origin');
      expect(await adminSocketAttempt(s.url, { cookie, origin: 'https://desk.example.com' })).toBe('connected');
    } finally {
      await s.stop();
    }
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

  it('delays an address that keeps failing for an account, even for the right password, with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(ADMIN.email, `wrong-${i}-password`)).status).toBe(401);
    const locked = await attempt(ADMIN.email, ADMIN.password);
    expect(locked.status).toBe(429);
    expect((await locked.json()).error.code).toBe('locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('failures from an attacker’s address never lock the agent out at their own address', async () => {
    const from = (address: string, password: string) =>
      requestFrom(address, s.url + '/admin/api/session', {
        method: 'POST',
        headers: { ...json, origin: s.url },
        body: JSON.stringify({ email: ADMIN.email, password }),
      });
    const attacker: number[] = [];
    for (let i = 0; i < 12; i++) attacker.push((await from('127.0.0.2', `guess-${i}-password`)).status);
    expect(attacker.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attacker.at(-1)).toBe(429);
    const stillDelayed = await from('127.0.0.2', ADMIN.password);
    expect(stillDelayed.status).toBe(429);
    expect(stillDelayed.body.error.code).toBe('locked');

    const agent = await from('127.0.0.3', ADMIN.password);
    expect(agent.status).toBe(200);
    expect(agent.headers['set-cookie']).toBeTruthy();
  });

  it('an address over its cap across accounts does not slow down anyone else', async () => {
    const from = (address: string, email: string, password: string) =>
      requestFrom(address, s.url + '/admin/api/session', { method: 'POST', headers: { ...json, origin: s.url }, body: JSON.stringify({ email, password }) });
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await from('127.0.0.4', `spray${i}@example.com`, 'spray-password')).status;
    expect(last).toBe(429);
    expect((await from('127.0.0.4', ADMIN.email, ADMIN.password)).body.error.code).toBe('rate_limited');
    expect((await from('127.0.0.5', ADMIN.email, ADMIN.password)).status).toBe(200);
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
      Array.from(
        { length: 150 },
        () =>
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
    for (let i = 0; i < 130; i++) {
      last = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: `hello ${i}` }) });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toBeTruthy();
  });
});
