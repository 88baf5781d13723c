import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { ADMIN, nextEvent, startTestServer, type TestServer } from '../support/server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('foundation: public entry points', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('GET /healthz is 200 with ok:true once migrated', async () => {
    const res = await s.fetch('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, db: true, mode: 'sandbox' });
  });

  it('webhook handshake echoes the challenge for the right verify token and 403s otherwise', async () => {
    const token = s.config.whatsapp.verifyToken;
    const ok = await s.fetch(`/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    for (const q of [
      `hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
      `hub.mode=unsubscribe&hub.verify_token=${token}&hub.challenge=1`,
      `hub.mode=subscribe&hub.challenge=1`,
      '',
    ]) {
      expect((await s.fetch(`/api/whatsapp/webhook?${q}`)).status).toBe(403);
    }
  });

  it('POST /api/messages creates a conversation and the same visitor_token continues it', async () => {
    const first = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello, is anyone there?', name: 'Ana', email: 'ana@example.com' }),
    });
    expect(first.status).toBe(201);
    const a = await first.json();
    expect(a).toMatchObject({ conversation_id: expect.any(String), message_id: expect.any(String), visitor_token: expect.any(String) });
    const second = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Second message', visitor_token: a.visitor_token }),
    });
    const b = await second.json();
    expect(b.conversation_id).toBe(a.conversation_id);
    const history = await (await s.fetch(`/api/messages?visitor_token=${a.visitor_token}`)).json();
    expect(history.data.map((m: { text: string }) => m.text)).toEqual(['Hello, is anyone there?', 'Second message']);
    expect(history.data[0]).toMatchObject({ direction: 'inbound', type: 'text', status: 'received', conversation_id: a.conversation_id });
  });

  it("a visitor token never reads someone else's conversation", async () => {
    const post = (body: object) =>
      s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    const a = await post({ text: 'secret of A' });
    const b = await post({ text: 'message of B' });
    const hb = await (await s.fetch(`/api/messages?visitor_token=${b.visitor_token}`)).json();
    expect(hb.data.map((m: { text: string }) => m.text)).toEqual(['message of B']);
    expect((await s.fetch('/api/messages?visitor_token=' + 'x'.repeat(32))).status).toBe(404);
    expect((await s.fetch('/api/messages')).status).toBe(400);
    expect(a.visitor_token).not.toBe(b.visitor_token);
  });

  it('bad visitor input gets a clear error and stores nothing', async () => {
    const cookie = await s.signIn();
    const before = (await s.admin('/admin/api/conversations?limit=100', { cookie })).body.data.length;
    const cases: [string, number, string][] = [
      ['{"text":""}', 400, 'validation_failed'],
      ['{"text":"   "}', 400, 'validation_failed'],
      [JSON.stringify({ text: 'x'.repeat(4097) }), 400, 'validation_failed'],
      ['{"text":"hi","email":"not-an-email"}', 400, 'validation_failed'],
      ['{"text":"hi","phone":"call me maybe"}', 400, 'validation_failed'],
      ['{"text":"hi","visitor_token":"unknown-token-unknown-token"}', 401, 'unauthorized'],
      ['{"text": "unterminated', 400, 'bad_json'],
      ['[1,2,3]', 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(status);
      expect((await res.json()).error.code, body).toBe(code);
    }
    const after = (await s.admin('/admin/api/conversations?limit=100', { cookie })).body.data.length;
    expect(after).toBe(before);
  });

  it('serves the demo page with the snippet to paste', async () => {
    const res = await s.fetch('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`&lt;script src=&quot;${s.url}/widget.js&quot; async&gt;&lt;/script&gt;`);
  });
});

describe('foundation: agents and sessions', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('sign-in sets an HttpOnly SameSite=Lax cookie with a new id each time; me and sign-out work', async () => {
    const signIn = () =>
      s.fetch('/admin/api/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: s.url }, body: JSON.stringify(ADMIN) });
    const r1 = await signIn();
    expect(r1.status).toBe(200);
    const setCookie = r1.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/cd_session=/);
    expect(setCookie.toLowerCase()).toContain('httponly');
    expect(setCookie.toLowerCase()).toContain('samesite=lax');
    const c1 = setCookie.split(';')[0]!;
    const c2 = (await signIn()).headers.get('set-cookie')!.split(';')[0]!;
    expect(c2).not.toBe(c1);
    const me = await s.admin('/admin/api/me', { cookie: c1 });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
    expect(JSON.stringify(me.body)).not.toContain('password');
    const out = await s.admin('/admin/api/session', { method: 'DELETE', cookie: c1 });
    expect(out.status).toBe(204);
    expect((await s.admin('/admin/api/me', { cookie: c1 })).status).toBe(401);
    expect((await s.admin('/admin/api/me', { cookie: c2 })).status).toBe(200);
  });

  it('wrong passwords are refused without saying which part was wrong', async () => {
    for (const body of [
      { email: ADMIN.email, password: 'nope-nope' },
      { email: 'nobody@example.com', password: 'whatever1' },
    ]) {
      const res = await s.fetch('/admin/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: s.url },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatchObject({ code: 'unauthorized', message: 'wrong email or password' });
    }
    const res = await s.fetch('/admin/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":""}' });
    expect(res.status).toBe(400);
  });

  it('the admin API needs a session or API token', async () => {
    expect((await s.fetch('/admin/api/conversations')).status).toBe(401);
    expect((await s.fetch('/admin/api/conversations', { headers: { authorization: 'Bearer cdk_not-a-token' } })).status).toBe(401);
    const body = (await s.fetch('/admin/api/conversations')).json();
    expect((await body).error.code).toBe('unauthorized');
  });

  it('agents see a visitor message live on the /admin socket, and reply to the widget', async () => {
    const cookie = await s.signIn();
    const agent = await s.adminSocket(cookie);
    const visitor = io(s.url + '/visitor', { transports: ['websocket'], reconnection: false, forceNew: true });
    const session = await nextEvent<{ visitor_token: string }>(visitor, 'session');
    const incoming = nextEvent<any>(agent, 'message:new');
    const ack = await visitor.timeout(5000).emitWithAck('message:send', { text: 'Do you ship to Lisbon?', client_id: 'c-1' });
    expect(ack.ok).toBe(true);
    expect(ack.message).toMatchObject({ text: 'Do you ship to Lisbon?', direction: 'inbound', client_id: 'c-1' });
    const { message, conversation } = await incoming;
    expect(message.id).toBe(ack.message.id);
    expect(conversation).toMatchObject({ channel: 'web', status: 'open', unread: 1, window: { open: true } });
    // The same client_id again (a retry after a lost ack) is acknowledged with the same message.
    const again = await visitor.timeout(5000).emitWithAck('message:send', { text: 'Do you ship to Lisbon?', client_id: 'c-1' });
    expect(again.message.id).toBe(ack.message.id);
    const reply = nextEvent<any>(visitor, 'message:new', (p) => p.message.direction === 'outbound');
    const sent = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { cookie, body: { message_type: 'text', text: 'Yes, in 2 days.' } });
    expect(sent.status).toBe(201);
    expect((await reply).message.text).toBe('Yes, in 2 days.');
    const list = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { cookie });
    expect(list.body.data.map((m: { text: string }) => m.text)).toEqual(['Do you ship to Lisbon?', 'Yes, in 2 days.']);
    expect(list.body.next_cursor).toBeNull();
    expect(session.visitor_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // The same token from another tab continues the same conversation.
    const tab2 = io(s.url + '/visitor', { transports: ['websocket'], reconnection: false, forceNew: true, auth: { visitor_token: session.visitor_token } });
    const history = await tab2.timeout(5000).emitWithAck('history', {});
    expect(history.messages.map((m: { text: string }) => m.text)).toEqual(['Do you ship to Lisbon?', 'Yes, in 2 days.']);
    tab2.disconnect();
    visitor.disconnect();
  });

  it('agents see the page a web visitor last wrote from and their browser (socket and HTTP)', async () => {
    const cookie = await s.signIn();
    const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36';
    const visitor = io(s.url + '/visitor', { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { 'user-agent': android } });
    await nextEvent(visitor, 'session');
    const first = await visitor
      .timeout(5000)
      .emitWithAck('message:send', { text: 'Is this in stock?', client_id: 'p-1', page_url: 'https://shop.example/p/42' });
    const id = first.message.conversation_id;
    const contactOf = async () => (await s.admin(`/admin/api/conversations/${id}`, { cookie })).body.conversation.contact;
    expect(await contactOf()).toMatchObject({ page_url: 'https://shop.example/p/42', browser: 'Chrome 126 on Android' });
    await visitor.timeout(5000).emitWithAck('message:send', { text: 'And in blue?', client_id: 'p-2', page_url: 'https://shop.example/checkout' });
    expect((await contactOf()).page_url).toBe('https://shop.example/checkout'); // the latest page
    visitor.disconnect();

    const http = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0' },
      body: JSON.stringify({ text: 'Hello over HTTP', page_url: 'https://shop.example/contact' }),
    });
    expect(http.status).toBe(201);
    const { conversation } = (await s.admin(`/admin/api/conversations/${(await http.json()).conversation_id}`, { cookie })).body;
    expect(conversation.contact).toMatchObject({ page_url: 'https://shop.example/contact', browser: 'Firefox 127 on macOS' });
  });

  it('CLI creates an admin and an API token that works as Bearer', async () => {
    // A child process beside the running server, as an operator's shell runs it: asynchronously,
    // so the server in this process keeps running (and finishes its transactions) meanwhile.
    const run = (...args: string[]) => runCli(args, s.env);
    const created = await run('create-admin', '--email', 'ops@example.com', '--password', 'another-long-pass');
    expect(created.code, created.stderr).toBe(0);
    const tok = await run('create-token', '--email', 'ops@example.com', '--name', 'ci');
    expect(tok.code, tok.stderr).toBe(0);
    const token = /cdk_[A-Za-z0-9_-]+/.exec(tok.stdout)![0];
    const res = await s.fetch('/admin/api/conversations', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const bad = await run('create-admin', '--email', 'ops@example.com', '--password', 'short');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/password must be at least 8 characters|exists already/);
  });
});

describe('foundation: start-up errors are one human line', () => {
  const runMain = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    }); // tsx compiles main.ts first: slow on a loaded machine

  it('a wrong PORT', { timeout: 70_000 }, () => {
    const r = runMain({ PORT: 'eighty' });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toBe('config error: PORT must be a whole number from 0 to 65535, got "eighty"');
  });

  it('an unknown DATABASE_URL scheme', { timeout: 70_000 }, () => {
    const r = runMain({ DATABASE_URL: 'mysql://root@localhost/db' });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/DATABASE_URL has an unsupported scheme "mysql"/);
  });
});
