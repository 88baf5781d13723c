/**
 * The sandbox never exposes data: its controls (simulated phones, faults, the overview) answer a
 * direct caller on this machine or a signed-in admin — never a client that only looks local
 * through a proxy, another site's page or a DNS-rebound host — and its Graph API takes only this
 * boot's token from this server itself. (Every test here connects from 127.0.0.1; "remote" clients
 * come through a proxy, as they would in production.)
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { phoneInbox } from '../support/whatsapp.ts';

const OWNER = '15550100001';
const PROXIED: Record<string, string>[] = [
  { 'x-forwarded-for': '203.0.113.9' },
  { forwarded: 'for=203.0.113.9;proto=https' },
  { 'x-real-ip': '203.0.113.9' },
  { via: '1.1 proxy' },
];
const json = { 'content-type': 'application/json' };

/** A GET with a Host header of our choosing (fetch will not send one), as a DNS-rebound page would. */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

describe('sandbox controls', () => {
  let s: TestServer;
  let agentCookie: string;
  beforeAll(async () => {
    s = await startTestServer();
    const invited = await s.admin('/admin/api/agents', { body: { email: 'agent@example.com', name: 'Agent', role: 'agent' } });
    expect(invited.status).toBe(201);
    agentCookie = await s.signIn({ email: 'agent@example.com', password: invited.body.password });
  });
  afterAll(() => s.stop());

  /** A visitor writes; the owner's simulated phone receives the forward. */
  async function visitorSecret(text: string): Promise<void> {
    const res = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text, name: 'Ana' }) });
    expect(res.status).toBe(201);
    await waitFor(async () => (await phoneInbox(s, OWNER)).some((m) => JSON.stringify(m).includes(text)), { message: 'the forward on the owner’s phone' });
  }

  it('answer a direct caller on this machine (what tests and `pnpm start` do)', async () => {
    expect((await s.fetch('/sandbox/')).status).toBe(200);
    expect((await s.fetch(`/sandbox/phones/${OWNER}/inbox`)).status).toBe(200);
    expect((await s.fetch('/sandbox/faults', { method: 'POST', headers: json, body: '{"kind":"http_500","count":1}' })).status).toBe(201);
    expect((await s.fetch('/sandbox/faults', { method: 'DELETE' })).status).toBe(200);
  });

  it('refuse a client that only looks local through a proxy: nothing read, nothing written', async () => {
    await visitorSecret('my card ends 4242');
    for (const headers of PROXIED) {
      const label = Object.keys(headers)[0]!;
      const inbox = await s.fetch(`/sandbox/phones/${OWNER}/inbox`, { headers });
      expect(inbox.status, label).toBe(401);
      const body = await inbox.text();
      expect(body, label).not.toContain('4242');
      expect(JSON.parse(body).error.code).toBe('unauthorized');
      for (const p of ['/sandbox/', '/sandbox/phones', `/sandbox/phones/${OWNER}`, '/sandbox/faults'])
        expect((await s.fetch(p, { headers })).status, `${label} ${p}`).toBe(401);

      const injected = await s.fetch(`/sandbox/phones/${OWNER}/messages`, {
        method: 'POST',
        headers: { ...json, ...headers },
        body: JSON.stringify({ type: 'text', text: { body: `owner reply via ${label}` } }),
      });
      expect(injected.status, label).toBe(401);
      const fault = await s.fetch('/sandbox/faults', { method: 'POST', headers: { ...json, ...headers }, body: '{"kind":"network","count":5}' });
      expect(fault.status, label).toBe(401);
      expect((await s.fetch('/sandbox/faults', { method: 'DELETE', headers })).status, label).toBe(401);
    }
    expect((await (await s.fetch('/sandbox/faults')).json()).faults).toEqual([]);
    const owner = await (await s.fetch(`/sandbox/phones/${OWNER}`)).json();
    expect(owner.outbox.filter((m: { type: string }) => m.type === 'text')).toEqual([]);
  });

  it('refuse another site in a developer’s browser, and a DNS-rebound host name', async () => {
    const evilOrigin = await s.fetch('/sandbox/faults', {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example' },
      body: '{"kind":"network","count":1}',
    });
    expect(evilOrigin.status).toBe(401);
    expect(await getWithHost(`${s.url}/sandbox/phones/${OWNER}/inbox`, `evil.example:${s.port}`)).toBe(401);
    expect(await getWithHost(`${s.url}/sandbox/phones/${OWNER}/inbox`, `localhost:${s.port}`)).toBe(200);
    // The admin app's own page on this machine is fine.
    const own = await s.fetch('/sandbox/faults', { method: 'DELETE', headers: { origin: s.url } });
    expect(own.status).toBe(200);
  });

  it('answer a signed-in admin from anywhere — with our own Origin for writes, as the Simulated phones page sends it', async () => {
    await visitorSecret('call me at noon');
    const cookie = await s.signIn(ADMIN);
    const remote = { 'x-forwarded-for': '203.0.113.9', cookie };
    const inbox = await s.fetch(`/sandbox/phones/${OWNER}/inbox`, { headers: remote });
    expect(inbox.status).toBe(200);
    expect(JSON.stringify(await inbox.json())).toContain('call me at noon');

    const send = (headers: Record<string, string>) =>
      s.fetch('/sandbox/phones/15550102030/messages', {
        method: 'POST',
        headers: { ...json, ...remote, ...headers },
        body: JSON.stringify({ type: 'text', text: { body: 'from the admin app' } }),
      });
    const noOrigin = await send({});
    expect(noOrigin.status).toBe(403);
    expect((await noOrigin.json()).error.code).toBe('bad_origin');
    expect((await send({ origin: 'https://evil.example' })).status).toBe(403);
    const ok = await send({ origin: s.url });
    expect(ok.status).toBe(200);
    expect((await ok.json()).wamid).toMatch(/^wamid\./);
  });

  it('refuse a signed-in agent, and a signed-out browser', async () => {
    const asAgent = await s.fetch(`/sandbox/phones/${OWNER}/inbox`, { headers: { 'x-forwarded-for': '203.0.113.9', cookie: agentCookie } });
    expect(asAgent.status).toBe(403);
    expect((await asAgent.json()).error.code).toBe('forbidden');
    const signedOut = await s.fetch(`/sandbox/phones/${OWNER}/inbox`, { headers: { 'x-forwarded-for': '203.0.113.9', cookie: 'cd_session=not-a-session' } });
    expect(signedOut.status).toBe(401);
  });

  it('the embedded Graph API takes only this boot’s token, and only from this server itself', async () => {
    const path = `/sandbox/graph/v25.0/${s.config.whatsapp.phoneNumberId}`;
    for (const token of ['sandbox-access-token', 'anything']) {
      const res = await s.fetch(path, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, token).toBe(401);
      expect((await res.json()).error.code, token).toBe(190);
    }
    const proxied = await s.fetch(path, { headers: { authorization: 'Bearer sandbox-access-token', 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(401);
    // The server's own client still sends: a visitor's message reaches the owner's phone.
    await visitorSecret('still forwarded');
  });
});
