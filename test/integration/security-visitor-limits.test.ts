/**
 * Per-address limits that do not trust client-chosen tokens, and that one client behind a shared
 * address (a proxy, an office NAT) cannot use to lock the others out; limits on the visitor
 * socket's `typing`, `history` and `identify`. Every client here comes from 127.0.0.1: one address.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { nextEvent, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const NEW_CONNECTIONS_REFUSED = 'too many new connections from this address';

function handshake(url: string, nsp: '/visitor' | '/admin', opts: { auth?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<string> {
  return new Promise((resolve) => {
    const s = io(url + nsp, { transports: ['websocket'], reconnection: false, forceNew: true, auth: opts.auth ?? {}, extraHeaders: opts.headers ?? {} });
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

/** Handshakes in batches until one is refused with `message` (or `max` were tried). */
async function floodUntil(url: string, nsp: '/visitor' | '/admin', message: string, make: () => Parameters<typeof handshake>[2], max = 400): Promise<string[]> {
  const results: string[] = [];
  while (results.length < max && !results.includes(message)) {
    results.push(...(await Promise.all(Array.from({ length: 25 }, () => handshake(url, nsp, make())))));
  }
  return results;
}

const send = (v: Socket, text: string) => v.timeout(5000).emitWithAck('message:send', { text, client_id: `c-${randomBytes(6).toString('hex')}` });

/** A visitor that has written before (a stored contact), by its token. */
async function knownVisitor(s: TestServer): Promise<string> {
  const res = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: 'I was here before' }) });
  expect(res.status).toBe(201);
  return (await res.json()).visitor_token;
}

describe('per-address limits that do not trust client-chosen tokens', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('a visitor_token the server never stored counts as a new visitor', async () => {
    const results = await floodUntil(s.url, '/visitor', NEW_CONNECTIONS_REFUSED, () => ({ auth: { visitor_token: randomBytes(24).toString('base64url') } }));
    expect(results).toContain(NEW_CONNECTIONS_REFUSED);
    expect(results.filter((r) => r === 'ok').length).toBeLessThanOrEqual(120);
  });

  it('admin socket handshakes are limited per address too', async () => {
    const results = await floodUntil(s.url, '/admin', 'too many connections from this address', () => ({ headers: { origin: s.url } }), 400);
    expect(results).toContain('unauthorized');
    expect(results).toContain('too many connections from this address');
  });
});

describe('visitor messages over the socket count per address', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('visitors at one address share a budget; heavy writers are told to wait', async () => {
    const quietToken = await knownVisitor(s);
    const visitors = await Promise.all(Array.from({ length: 6 }, () => s.visitorSocket()));
    const acks: any[] = [];
    for (let round = 0; round < 30; round++) acks.push(...(await Promise.all(visitors.map((v, i) => send(v, `round ${round} from ${i}`)))));
    const refused = acks.filter((a) => !a.ok);
    expect(acks.filter((a) => a.ok).length).toBeLessThan(180);
    expect(refused[0]).toEqual({ ok: false, error: { code: 'rate_limited', message: 'too many messages from this address; wait a minute' } });
    // A visitor that has not written this minute still gets through (its fair share).
    const quiet = await s.visitorSocket({ visitor_token: quietToken });
    expect((await send(quiet, 'just one question')).ok).toBe(true);
  });
});

describe('one client behind a shared address cannot lock the others out', () => {
  let s: TestServer;
  // Visitors who wrote before the abuse started (within the same minute).
  const tokens: string[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    tokens.push(await knownVisitor(s), await knownVisitor(s));
  });
  afterAll(() => s.stop());

  it('a flood of new visitors (socket and HTTP) leaves a known visitor at the same address working', async () => {
    const token = tokens[0]!;
    // The abuser: new visitor after new visitor, over the socket and over HTTP, until refused.
    await floodUntil(s.url, '/visitor', NEW_CONNECTIONS_REFUSED, () => ({}));
    let flood = 0;
    for (let i = 0; i < 300 && flood !== 429; i++) {
      flood = (await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: `spam ${i}` }) })).status;
    }
    expect(flood).toBe(429);
    expect(await handshake(s.url, '/visitor')).toBe(NEW_CONNECTIONS_REFUSED);
    // The known visitor, from the same address: connects, writes over the socket and over HTTP.
    const v = await s.visitorSocket({ visitor_token: token });
    expect((await send(v, 'still here')).ok).toBe(true);
    const http = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text: 'and over HTTP', visitor_token: token }) });
    expect(http.status).toBe(201);
  });

  it('a flood of connections leaves a known visitor and a signed-in agent able to connect', async () => {
    const token = tokens[1]!;
    const cookie = await s.signIn();
    await floodUntil(s.url, '/admin', 'too many connections from this address', () => ({ headers: { origin: s.url } }), 1000);
    expect(await handshake(s.url, '/visitor', { auth: { visitor_token: token } })).toBe('ok');
    expect(await handshake(s.url, '/admin', { headers: { origin: s.url, cookie } })).toBe('ok');
  });
});

describe('visitor socket events: typing, history, identify', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('coalesces a flood of typing events to one "on" and one "off" for the agents', async () => {
    const agent = await s.adminSocket(await s.signIn());
    const v = await s.visitorSocket();
    expect((await send(v, 'hello')).ok).toBe(true);
    const seen: boolean[] = [];
    agent.on('typing', (p: { on: boolean }) => seen.push(p.on));
    const off = nextEvent(agent, 'typing', (p: { on: boolean }) => !p.on);
    for (let i = 0; i < 20; i++) {
      v.emit('typing', { on: true });
      v.emit('typing', { on: false });
    }
    await off;
    // A message after the burst: by the time agents see it, every typing signal was handled.
    const marker = nextEvent(agent, 'message:new', (p: { message: { text: string } }) => p.message.text === 'done typing');
    expect((await send(v, 'done typing')).ok).toBe(true);
    await marker;
    expect(seen).toEqual([true, false]);
  });

  it('limits history requests per socket with a clear ack', async () => {
    const v = await s.visitorSocket();
    const acks: any[] = [];
    for (let i = 0; i < 25; i++) acks.push(await v.timeout(5000).emitWithAck('history', {}));
    expect(acks.slice(0, 20).every((a) => a.ok)).toBe(true);
    expect(acks.at(-1)).toEqual({ ok: false, error: { code: 'rate_limited', message: 'too many history requests; wait a moment' } });
  });

  it('limits identify per socket with a clear ack, and a refused identify changes nothing', async () => {
    const v = await s.visitorSocket();
    const acks: any[] = [];
    for (let i = 0; i < 12; i++) acks.push(await v.timeout(5000).emitWithAck('identify', { name: `Name ${i}` }));
    expect(acks.slice(0, 10).every((a) => a.ok)).toBe(true);
    expect(acks.at(-1)).toEqual({ ok: false, error: { code: 'rate_limited', message: 'too many identify requests; wait a moment' } });
    expect((await send(v, 'who am I')).ok).toBe(true);
    const list = (await s.admin('/admin/api/conversations?limit=100')).body.data as Array<{ contact: { name: string | null } }>;
    expect(list.map((c) => c.contact.name)).toContain('Name 9');
    expect(list.map((c) => c.contact.name)).not.toContain('Name 11');
  });
});
