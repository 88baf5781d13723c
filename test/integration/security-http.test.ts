/**
 * HTTP-level hardening: prototype keys in JSON bodies, the CORS contract of the public visitor
 * API (open to every site, preflight included) against the admin API (never cross-origin), HSTS
 * only over HTTPS, and stored media keeping its own sandboxing CSP under /admin/.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const SECRET = 'hunter2-proto-secret-value';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('security: prototype keys in JSON bodies', () => {
  let s: TestServer;
  let log = '';
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString('utf8');
        done();
      },
    });
    s = await startTestServer({ LOG_LEVEL: 'debug' }, { logDestination: destination });
  });
  afterAll(() => s.stop());

  it('refuses a __proto__ key with a clear 400, anywhere in the body, and never logs the body', async () => {
    const bodies = [
      `{"__proto__":{"role":"admin"},"email":"${ADMIN.email}","password":"${SECRET}"}`,
      `{"email":"${ADMIN.email}","password":"${SECRET}","x":{"y":[{"__proto__":{"polluted":true}}]}}`,
      `{"email":"${ADMIN.email}","password":"${SECRET}","\\u005f_proto__":{}}`,
    ];
    for (const body of bodies) {
      const res = await s.fetch('/admin/api/session', { method: 'POST', headers: { ...json, origin: s.url }, body });
      expect(res.status, body).toBe(400);
      expect((await res.json()).error).toEqual({ code: 'validation_failed', message: expect.stringContaining('__proto__') });
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const visitor = await s.fetch('/api/messages', { method: 'POST', headers: json, body: `{"text":"hi","__proto__":{"polluted":true}}` });
    expect(visitor.status).toBe(400);
    expect((await visitor.json()).error.code).toBe('validation_failed');
    const cookie = await s.signIn();
    const agent = await s.fetch('/admin/api/canned-responses', {
      method: 'POST',
      headers: { ...json, cookie, origin: s.url },
      body: `{"title":"t","text":"x","__proto__":{"polluted":true}}`,
    });
    expect(agent.status).toBe(400);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain('polluted');
  });

  it('handles constructor and prototype keys safely: no pollution, no 500, nothing logged', async () => {
    const mark = log.length;
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text: 'keys that look like JS internals', constructor: { prototype: { polluted: true } }, prototype: { polluted: true } }),
    });
    expect(res.status).toBe(201);
    const { visitor_token } = await res.json();
    const history = await (await s.fetch(`/api/messages?visitor_token=${visitor_token}`)).json();
    expect(history.data.map((m: { text: string }) => m.text)).toEqual(['keys that look like JS internals']);
    const signIn = await s.fetch('/admin/api/session', {
      method: 'POST',
      headers: { ...json, origin: s.url },
      body: JSON.stringify({ email: ADMIN.email, password: `${SECRET}-2`, constructor: { prototype: { isAdmin: true } } }),
    });
    expect(signIn.status).toBe(401);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(log.slice(mark)).not.toContain(`${SECRET}-2`);
    expect(log.slice(mark)).not.toMatch(/"level":50/);
  });

  it('answers any unreadable JSON body with 400 bad_json, never 500', async () => {
    const mark = log.length;
    for (const body of ['{', '{"text":"a"}{"b":1}', '"just a string"', '\u0000']) {
      const res = await s.fetch('/api/messages', { method: 'POST', headers: json, body });
      expect(res.status, body).toBe(400);
      expect((await res.json()).error.code).toBe('bad_json');
    }
    expect(log.slice(mark)).not.toMatch(/"level":50/);
  });
});

describe('security: CORS for the public visitor API only', () => {
  let s: TestServer;
  const site = 'https://shop.example.com';
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const preflight = (path: string, origin = site, method = 'POST') =>
    s.fetch(path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' } });

  it('answers the browser preflight for the visitor endpoints', async () => {
    for (const [path, method] of [
      ['/api/messages', 'POST'],
      ['/api/messages', 'GET'],
      ['/api/messages/attachments', 'POST'],
      ['/api/widget/config', 'GET'],
    ] as const) {
      const res = await preflight(path, site, method);
      expect(res.status, `${method} ${path}`).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('access-control-allow-methods'), path).toContain(method);
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase(), path).toContain('content-type');
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
      expect(Number(res.headers.get('access-control-max-age')), path).toBeGreaterThan(0);
    }
    const plain = await s.fetch('/api/messages', { method: 'OPTIONS' });
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')).toContain('POST');
  });

  it('sends the CORS headers on the actual responses, errors included', async () => {
    const post = await s.fetch('/api/messages', { method: 'POST', headers: { ...json, origin: site }, body: JSON.stringify({ text: 'from a customer site' }) });
    expect(post.status).toBe(201);
    expect(post.headers.get('access-control-allow-origin')).toBe('*');
    const { visitor_token } = await post.json();
    const read = await s.fetch(`/api/messages?visitor_token=${visitor_token}`, { headers: { origin: site } });
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    const bad = await s.fetch('/api/messages', { method: 'POST', headers: { ...json, origin: site }, body: JSON.stringify({ text: '' }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
    expect(bad.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
  });

  it('never makes the admin API or the webhook cross-origin', async () => {
    const cookie = await s.signIn();
    for (const path of ['/admin/api/session', '/admin/api/conversations', '/admin/api/me', '/api/whatsapp/webhook']) {
      const res = await preflight(path, 'https://evil.example');
      expect(res.status, path).not.toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
    const me = await s.fetch('/admin/api/me', { headers: { cookie, origin: 'https://evil.example' } });
    expect(me.headers.get('access-control-allow-origin')).toBeNull();
    const signIn = await s.fetch('/admin/api/session', { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: JSON.stringify(ADMIN) });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security: HSTS only over HTTPS', () => {
  let proxied: TestServer;
  let direct: TestServer;
  beforeAll(async () => {
    proxied = await startTestServer({ TRUST_PROXY: 'true' });
    direct = await startTestServer();
  });
  afterAll(async () => {
    await proxied.stop();
    await direct.stop();
  });

  it('sends Strict-Transport-Security when the trusted proxy says the request was HTTPS', async () => {
    for (const path of ['/healthz', '/admin/', '/api/widget/config', '/widget.js', '/']) {
      const res = await proxied.fetch(path, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d{7,}/);
    }
  });

  it('never sends it over plain HTTP, nor on the word of an untrusted client', async () => {
    expect((await proxied.fetch('/healthz')).headers.get('strict-transport-security')).toBeNull();
    expect((await proxied.fetch('/healthz', { headers: { 'x-forwarded-proto': 'http' } })).headers.get('strict-transport-security')).toBeNull();
    expect((await direct.fetch('/healthz', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();
    expect((await direct.fetch('/admin/')).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('security: stored media keeps its own CSP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('serves /admin/api/media with the sandboxing CSP, and the admin app with its own', async () => {
    const cookie = await s.signIn();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'photo.png');
    const up = await s.fetch('/admin/api/media', { method: 'POST', headers: { cookie, origin: s.url }, body: form });
    expect(up.status).toBe(201);
    const { media_id } = await up.json();
    const file = await s.fetch(`/admin/api/media/${media_id}`, { headers: { cookie } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    const app = await s.fetch('/admin/', { headers: { cookie } });
    expect(app.headers.get('content-security-policy')).toContain("script-src 'self'");
    const api = await s.fetch('/admin/api/me', { headers: { cookie } });
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
