/**
 * Access ends with the right to it: sign-out ends that session and its sockets; removing an agent,
 * changing a role or a password (in the app or with `pnpm connectdesk reset-password` on a running
 * server) ends every session, socket and API token of that agent. A socket cut that way receives
 * nothing more, and reconnecting with the dead cookie is refused.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { ADMIN, nextEvent, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };

/** What a socket goes through from now on: the texts of `message:new`, and why it was disconnected. */
function track(sock: Socket): { texts: string[]; disconnected(timeout?: number): Promise<string> } {
  const texts: string[] = [];
  sock.on('message:new', (p: { message: { text: string } }) => texts.push(p.message.text));
  const reason = new Promise<string>((resolve) => sock.once('disconnect', resolve));
  return {
    texts,
    disconnected: (timeout = 5_000) =>
      Promise.race([
        reason,
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`socket still connected after ${timeout} ms`)), timeout).unref()),
      ]),
  };
}

async function visitorWrites(s: TestServer, text: string): Promise<void> {
  const res = await s.fetch('/api/messages', { method: 'POST', headers: json, body: JSON.stringify({ text }) });
  expect(res.status).toBe(201);
}

function tryAdminSocket(s: TestServer, cookie: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = io(s.url + '/admin', { transports: ['websocket'], extraHeaders: { cookie, origin: s.url }, reconnection: false, forceNew: true });
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

async function invite(s: TestServer, email: string, role: 'agent' | 'admin' = 'agent'): Promise<{ id: string; creds: { email: string; password: string } }> {
  const res = await s.admin('/admin/api/agents', { body: { email, name: email.split('@')[0], role } });
  expect(res.status).toBe(201);
  return { id: res.body.agent.id, creds: { email, password: res.body.password } };
}

async function tokenFor(s: TestServer, cookie: string, name: string): Promise<string> {
  const res = await s.admin('/admin/api/tokens', { body: { name }, cookie });
  expect(res.status).toBe(201);
  return res.body.token;
}

const bearer = (s: TestServer, token: string) => s.fetch('/admin/api/conversations', { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
const me = (s: TestServer, cookie: string) => s.admin('/admin/api/me', { cookie }).then((r) => r.status);

describe('security: access ends with the right to it', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('sign-out ends that session and its sockets at once; the same agent’s other session keeps working', async () => {
    const { creds } = await invite(s, 'two-sessions@example.com');
    const cookieA = await s.signIn(creds);
    const cookieB = await s.signIn(creds);
    const sockA = await s.adminSocket(cookieA);
    const sockB = await s.adminSocket(cookieB);
    const a = track(sockA);
    const b = track(sockB);

    const out = await s.fetch('/admin/api/session', { method: 'DELETE', headers: { cookie: cookieA, origin: s.url } });
    expect(out.status).toBe(204);
    expect(await a.disconnected()).toBe('io server disconnect');

    const seenByB = nextEvent(sockB, 'message:new', (p: { message: { text: string } }) => p.message.text === 'after sign-out');
    await visitorWrites(s, 'after sign-out');
    await seenByB;
    expect(b.texts).toContain('after sign-out');
    expect(a.texts).not.toContain('after sign-out');
    expect(sockB.connected).toBe(true);

    expect(await tryAdminSocket(s, cookieA)).toBe('unauthorized');
    expect(await me(s, cookieA)).toBe(401);
    expect(await me(s, cookieB)).toBe(200);
  });

  it('a socket that dropped and reconnects with a cookie signed out meanwhile is refused and gets no missed messages', async () => {
    const { creds } = await invite(s, 'dropped@example.com');
    const cookie = await s.signIn(creds);
    const sock = io(s.url + '/admin', {
      transports: ['websocket'],
      extraHeaders: { cookie, origin: s.url },
      forceNew: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 100,
    });
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('connect_error', reject);
    });
    const t = track(sock);
    const refused = new Promise<string>((resolve) => sock.io.on('reconnect_attempt', () => sock.once('connect_error', (e) => resolve(e.message))));
    // The network drops (the server keeps the socket's state for recovery), the session ends, and
    // a message goes out meanwhile.
    sock.io.engine.close();
    expect(await t.disconnected()).toBe('forced close');
    expect((await s.fetch('/admin/api/session', { method: 'DELETE', headers: { cookie, origin: s.url } })).status).toBe(204);
    await visitorWrites(s, 'while away');
    expect(await refused).toBe('unauthorized');
    sock.disconnect();
    expect(t.texts).not.toContain('while away');
  });

  it('removing an agent cuts their sockets and ends their sessions and API tokens at once', async () => {
    const { id, creds } = await invite(s, 'removed@example.com');
    const cookie = await s.signIn(creds);
    const token = await tokenFor(s, cookie, 'removed script');
    const t = track(await s.adminSocket(cookie));
    expect(await bearer(s, token)).toBe(200);

    expect((await s.admin(`/admin/api/agents/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await t.disconnected()).toBe('io server disconnect');
    await visitorWrites(s, 'after removal');
    expect(t.texts).not.toContain('after removal');
    expect(await me(s, cookie)).toBe(401);
    expect(await bearer(s, token)).toBe(401);
    expect(await tryAdminSocket(s, cookie)).toBe('unauthorized');
    expect((await s.fetch('/admin/api/session', { method: 'POST', headers: { ...json, origin: s.url }, body: JSON.stringify(creds) })).status).toBe(401);
  });

  it('a role change ends every session, socket and API token of that agent; the new role applies at the next sign-in', async () => {
    const { id, creds } = await invite(s, 'promoted@example.com');
    const cookie1 = await s.signIn(creds);
    const cookie2 = await s.signIn(creds);
    const token = await tokenFor(s, cookie1, 'promoted script');
    const t1 = track(await s.adminSocket(cookie1));
    const t2 = track(await s.adminSocket(cookie2));

    // Only admins change roles, never their own, and only to a known role.
    expect((await s.admin(`/admin/api/agents/${id}`, { method: 'PATCH', body: { role: 'admin' }, cookie: cookie1 })).status).toBe(403);
    const adminId = (await s.admin('/admin/api/me')).body.user.id;
    expect((await s.admin(`/admin/api/agents/${adminId}`, { method: 'PATCH', body: { role: 'agent' } })).status).toBe(409);
    const bad = await s.admin(`/admin/api/agents/${id}`, { method: 'PATCH', body: { role: 'owner' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(await me(s, cookie1)).toBe(200);

    const changed = await s.admin(`/admin/api/agents/${id}`, { method: 'PATCH', body: { role: 'admin' } });
    expect(changed.status).toBe(200);
    expect(changed.body.agent).toMatchObject({ id, role: 'admin' });
    expect(await t1.disconnected()).toBe('io server disconnect');
    expect(await t2.disconnected()).toBe('io server disconnect');
    expect(await me(s, cookie1)).toBe(401);
    expect(await me(s, cookie2)).toBe(401);
    expect(await bearer(s, token)).toBe(401);

    const fresh = await s.signIn(creds);
    expect((await s.admin('/admin/api/me', { cookie: fresh })).body.user.role).toBe('admin');
    // And back: the same again.
    expect((await s.admin(`/admin/api/agents/${id}`, { method: 'PATCH', body: { role: 'agent' } })).status).toBe(200);
    expect(await me(s, fresh)).toBe(401);
  });

  it('changing one’s password ends every session, socket and token of that user; this browser gets a fresh session', async () => {
    const { creds } = await invite(s, 'changer@example.com');
    const here = await s.signIn(creds);
    const elsewhere = await s.signIn(creds);
    const token = await tokenFor(s, here, 'changer script');
    const sockElsewhere = await s.adminSocket(elsewhere);
    const tHere = track(await s.adminSocket(here));
    const tElsewhere = track(sockElsewhere);

    const put = (body: unknown, cookie = here, origin = s.url) =>
      s.fetch('/admin/api/me/password', { method: 'PUT', headers: { ...json, cookie, origin }, body: JSON.stringify(body) });
    const wrong = await put({ current_password: 'not-my-password', new_password: 'a-new-long-password' });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.code).toBe('validation_failed');
    const short = await put({ current_password: creds.password, new_password: 'short' });
    expect(short.status).toBe(400);
    expect((await put({ current_password: creds.password, new_password: 'a-new-long-password' }, here, 'https://evil.example')).status).toBe(403);
    const viaToken = await s.fetch('/admin/api/me/password', {
      method: 'PUT',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ current_password: creds.password, new_password: 'a-new-long-password' }),
    });
    expect(viaToken.status).toBe(403);
    expect((await viaToken.json()).error.code).toBe('insufficient_scope');
    // Nothing above changed anything.
    expect(sockElsewhere.connected).toBe(true);
    expect(await bearer(s, token)).toBe(200);

    const ok = await put({ current_password: creds.password, new_password: 'a-new-long-password' });
    expect(ok.status).toBe(200);
    const fresh = ok.headers.get('set-cookie')!.split(';')[0]!;
    expect(fresh).not.toBe(here);
    expect(await tHere.disconnected()).toBe('io server disconnect');
    expect(await tElsewhere.disconnected()).toBe('io server disconnect');
    expect(await me(s, here)).toBe(401);
    expect(await me(s, elsewhere)).toBe(401);
    expect(await bearer(s, token)).toBe(401);
    expect(await me(s, fresh)).toBe(200);
    expect(await tryAdminSocket(s, fresh)).toBe('connected');
    await expect(s.signIn(creds)).rejects.toThrow(/401/);
    await s.signIn({ email: creds.email, password: 'a-new-long-password' });
  });
});

describe('security: reset-password from the CLI on a running server', () => {
  let s: TestServer;
  beforeAll(async () => {
    // A short sweep keeps the test quick; the default is 10 s.
    s = await startTestServer({}, { start: { sessionSweepMs: 200 } });
  });
  afterAll(() => s.stop());

  it('ends the user’s sessions and API tokens, and the running server drops their sockets', async () => {
    const cookie = await s.signIn();
    const token = await tokenFor(s, cookie, 'ops script');
    const t = track(await s.adminSocket(cookie));

    const cli = await runCli(['reset-password', '--email', ADMIN.email, '--password', 'reset-by-the-operator'], s.env);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('every session and API token of this user has ended');

    expect(await t.disconnected(20_000)).toBe('io server disconnect');
    await visitorWrites(s, 'after reset');
    expect(t.texts).not.toContain('after reset');
    expect(await me(s, cookie)).toBe(401);
    expect(await bearer(s, token)).toBe(401);
    expect(await tryAdminSocket(s, cookie)).toBe('unauthorized');
    await s.signIn({ email: ADMIN.email, password: 'reset-by-the-operator' });
  });
});
