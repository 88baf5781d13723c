/**
 * Client addresses behind a reverse proxy: every per-IP limit keys on the rightmost untrusted
 * X-Forwarded-For hop (what the proxy saw), never on the leftmost entry the client wrote itself.
 * A real proxy hop (test/support/forwarding-proxy.ts) sits between the clients and the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startForwardingProxy, type ForwardingProxy } from '../support/forwarding-proxy.ts';
import { requestFrom } from '../support/from-address.ts';

const json = { 'content-type': 'application/json' };

/** Opens a visitor socket and says how the handshake ended: 'ok' or the refusal's message. */
function handshake(url: string, opts: { localAddress?: string; headers?: Record<string, string>; auth?: Record<string, string> } = {}): Promise<string> {
  return new Promise((resolve) => {
    const s = io(url + '/visitor', {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: opts.auth ?? {},
      extraHeaders: opts.headers ?? {},
      ...((opts.localAddress ? { localAddress: opts.localAddress } : {}) as object),
    });
    s.on('connect', () => {
      s.disconnect();
      resolve('ok');
    });
    s.on('connect_error', (e) => {
      s.disconnect();
      resolve(e.message);
    });
  });
}

describe('client address behind one trusted proxy (TRUST_PROXY=1)', () => {
  let s: TestServer;
  let proxy: ForwardingProxy;
  beforeAll(async () => {
    s = await startTestServer({ TRUST_PROXY: '1' });
    proxy = await startForwardingProxy(s.url);
  });
  afterAll(async () => {
    await proxy.close();
    await s.stop();
  });

  it('a client forging X-Forwarded-For through the proxy still meets the sign-in limit of its real address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i++) {
      const res = await requestFrom('127.0.0.2', `${proxy.url}/admin/api/session`, {
        method: 'POST',
        headers: { ...json, origin: proxy.url, 'x-forwarded-for': `203.0.113.${i}` },
        body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'not-the-password' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toContain(401);
    expect(statuses.at(-1)).toBe(429);
  });

  it('a client forging X-Forwarded-For does not get a fresh bucket for visitor messages', async () => {
    let last = { status: 0, body: null as any };
    for (let i = 0; i < 200 && last.status !== 429; i++) {
      last = await requestFrom('127.0.0.3', `${proxy.url}/api/messages`, {
        method: 'POST',
        headers: { ...json, 'x-forwarded-for': `198.51.100.${i % 250}, 192.0.2.${i % 250}` },
        body: JSON.stringify({ text: `hello ${i}` }),
      });
      if (last.status !== 429) expect(last.status).toBe(201);
    }
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('rate_limited');
    // Another client behind the same proxy is someone else: its bucket is untouched.
    const other = await requestFrom('127.0.0.4', `${proxy.url}/api/messages`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text: 'hi from next door' }),
    });
    expect(other.status).toBe(201);
  });

  it('socket handshakes through the proxy key on the client: one flooding client does not limit another', async () => {
    const results: string[] = [];
    for (let batch = 0; batch < 7 && !results.includes('too many new connections from this address'); batch++) {
      results.push(
        ...(await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            handshake(proxy.url, { localAddress: '127.0.0.5', headers: { 'x-forwarded-for': `203.0.113.${batch * 25 + i}` } }),
          ),
        )),
      );
    }
    expect(results).toContain('too many new connections from this address');
    expect(results.filter((r) => r === 'ok').length).toBeLessThanOrEqual(120);
    expect(await handshake(proxy.url, { localAddress: '127.0.0.6' })).toBe('ok');
  });
});

describe('client address with a list of trusted proxies (TRUSTED_PROXIES)', () => {
  let s: TestServer;
  let proxy: ForwardingProxy;
  beforeAll(async () => {
    // Only the proxy (on 127.0.0.1) is trusted; clients on other loopback addresses are not.
    s = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
    proxy = await startForwardingProxy(s.url);
  });
  afterAll(async () => {
    await proxy.close();
    await s.stop();
  });

  it('ignores X-Forwarded-* from a client that reaches the server directly', async () => {
    const direct = (i: number) =>
      requestFrom('127.0.0.7', `${s.url}/api/messages`, {
        method: 'POST',
        headers: { ...json, 'x-forwarded-for': `127.0.0.1, 198.51.100.${i % 250}` },
        body: JSON.stringify({ text: `direct ${i}` }),
      });
    let status = 0;
    for (let i = 0; i < 200 && status !== 429; i++) status = (await direct(i)).status;
    expect(status).toBe(429);
    // Through the proxy, the client's own address counts — a different one, with its own bucket.
    const proxied = await requestFrom('127.0.0.8', `${proxy.url}/api/messages`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text: 'via the proxy' }),
    });
    expect(proxied.status).toBe(201);
  });

  it('believes X-Forwarded-Proto only from the trusted proxy', async () => {
    const signIn = (localAddress: string, base: string) =>
      requestFrom(localAddress, `${base}/admin/api/session`, {
        method: 'POST',
        headers: { ...json, origin: base.replace('http:', 'https:'), 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ email: 'admin@example.com', password: 'correct-horse-battery' }),
      });
    // Direct: the https claim is dropped, so the https Origin does not match and sign-in is refused.
    expect((await signIn('127.0.0.9', s.url)).status).toBe(403);
    // The test proxy sets X-Forwarded-Proto: http itself, overriding the client's claim.
    const viaProxy = await requestFrom('127.0.0.9', `${proxy.url}/admin/api/session`, {
      method: 'POST',
      headers: { ...json, origin: proxy.url },
      body: JSON.stringify({ email: 'admin@example.com', password: 'correct-horse-battery' }),
    });
    expect(viaProxy.status).toBe(200);
  });
});
