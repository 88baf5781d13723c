/**
 * API tokens have scopes and an optional expiry, enforced on every admin route, and can never
 * mint tokens or admins or change roles — only a signed-in session can. Also from the CLI.
 */
import { API_SCOPES, DEFAULT_API_SCOPES, type ApiScope } from '@connectdesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const X = '01HZZZZZZZZZZZZZZZZZZZZZZZ'; // an id that exists nowhere

/** Every admin route, what a token needs to reach it (any one of), and a body that is at least well-formed JSON. */
const ROUTES: { method: string; path: string; scopes: ApiScope[] | 'session'; body?: unknown }[] = [
  { method: 'GET', path: '/admin/api/conversations', scopes: ['conversations:read'] },
  { method: 'GET', path: `/admin/api/conversations/${X}`, scopes: ['conversations:read'] },
  { method: 'GET', path: `/admin/api/conversations/${X}/messages`, scopes: ['conversations:read'] },
  { method: 'GET', path: `/admin/api/media/${X}`, scopes: ['conversations:read'] },
  { method: 'GET', path: '/admin/api/agents', scopes: ['conversations:read', 'team'] },
  { method: 'GET', path: '/admin/api/canned-responses', scopes: ['conversations:read', 'settings'] },
  { method: 'PATCH', path: `/admin/api/conversations/${X}`, scopes: ['conversations:write'], body: { status: 'resolved' } },
  { method: 'POST', path: `/admin/api/conversations/${X}/read`, scopes: ['conversations:write'] },
  { method: 'POST', path: `/admin/api/conversations/${X}/messages`, scopes: ['conversations:write'], body: { message_type: 'text', text: 'hi' } },
  { method: 'POST', path: `/admin/api/messages/${X}/retry`, scopes: ['conversations:write'] },
  { method: 'POST', path: '/admin/api/media', scopes: ['conversations:write'], body: {} },
  { method: 'GET', path: '/admin/api/templates', scopes: ['templates'] },
  { method: 'POST', path: '/admin/api/templates/sync', scopes: ['templates'] },
  { method: 'GET', path: '/admin/api/templates/hello_world/preview?language=en_US', scopes: ['templates'] },
  { method: 'POST', path: '/admin/api/templates/hello_world/preview', scopes: ['templates'], body: { language: 'en_US' } },
  { method: 'GET', path: '/admin/api/settings/widget', scopes: ['settings'] },
  { method: 'PUT', path: '/admin/api/settings/widget', scopes: ['settings'], body: { color: 'not a colour' } },
  { method: 'POST', path: '/admin/api/canned-responses', scopes: ['settings'], body: { shortcut: '' } },
  { method: 'PUT', path: `/admin/api/canned-responses/${X}`, scopes: ['settings'], body: { shortcut: 'x', text: 'y' } },
  { method: 'DELETE', path: `/admin/api/canned-responses/${X}`, scopes: ['settings'] },
  { method: 'GET', path: '/admin/api/settings/whatsapp-numbers', scopes: ['settings'] },
  { method: 'POST', path: '/admin/api/settings/whatsapp-numbers', scopes: ['settings'], body: { phone_number_id: 'not digits' } },
  { method: 'PATCH', path: `/admin/api/settings/whatsapp-numbers/${X}`, scopes: ['settings'], body: { is_default: true } },
  { method: 'DELETE', path: `/admin/api/settings/whatsapp-numbers/${X}`, scopes: ['settings'] },
  { method: 'GET', path: '/admin/api/settings/whatsapp-connect', scopes: ['settings'] },
  { method: 'GET', path: '/admin/api/checklist', scopes: ['settings'] },
  { method: 'GET', path: '/admin/api/whatsapp/webhook-events', scopes: ['settings'] },
  { method: 'GET', path: `/admin/api/whatsapp/webhook-events/${X}`, scopes: ['settings'] },
  { method: 'POST', path: `/admin/api/whatsapp/webhook-events/${X}/replay`, scopes: ['settings'] },
  { method: 'POST', path: '/admin/api/agents', scopes: ['team'], body: { email: 'not-an-email', name: 'X' } },
  { method: 'DELETE', path: `/admin/api/agents/${X}`, scopes: ['team'] },
  { method: 'GET', path: '/admin/api/tokens', scopes: ['team'] },
  { method: 'DELETE', path: `/admin/api/tokens/${X}`, scopes: ['team'] },
  { method: 'POST', path: '/admin/api/tokens', scopes: 'session', body: { name: 'minted' } },
  { method: 'PATCH', path: `/admin/api/agents/${X}`, scopes: 'session', body: { role: 'admin' } },
  { method: 'PUT', path: '/admin/api/me/password', scopes: 'session', body: { current_password: 'x', new_password: 'y-long-enough' } },
];

describe('security: API token scopes and expiry', () => {
  let s: TestServer;
  const tokens = new Map<string, string>();

  /** A token of the bootstrap admin with exactly these scopes (created once, by the session). */
  async function tokenWith(scopes: readonly ApiScope[]): Promise<string> {
    const key = [...scopes].sort().join(' ');
    if (!tokens.has(key)) {
      const res = await s.admin('/admin/api/tokens', { body: { name: `scopes ${key}`, scopes } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect([...res.body.api_token.scopes].sort()).toEqual([...scopes].sort());
      tokens.set(key, res.body.token);
    }
    return tokens.get(key)!;
  }

  const call = (token: string, r: { method: string; path: string; body?: unknown }) =>
    s.fetch(r.path, {
      method: r.method,
      headers: { authorization: `Bearer ${token}`, ...(r.body !== undefined ? json : {}) },
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
    });

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('every admin route refuses a token without its scope (403 insufficient_scope) and lets one with it through', async () => {
    const all = await tokenWith(API_SCOPES);
    for (const r of ROUTES) {
      const label = `${r.method} ${r.path}`;
      if (r.scopes === 'session') {
        const res = await call(all, r);
        expect(res.status, label).toBe(403);
        expect((await res.json()).error.code, label).toBe('insufficient_scope');
        continue;
      }
      const without = await call(await tokenWith(API_SCOPES.filter((x) => !(r.scopes as ApiScope[]).includes(x))), r);
      expect(without.status, label).toBe(403);
      expect((await without.json()).error.code, label).toBe('insufficient_scope');
      for (const scope of r.scopes) {
        const res = await call(await tokenWith([scope]), r);
        const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
        expect(body?.error?.code, `${label} with ${scope}`).not.toBe('insufficient_scope');
        expect(res.status, `${label} with ${scope}`).not.toBe(401);
      }
    }
    // Any token may ask who it is.
    const me = await call(await tokenWith(['templates']), { method: 'GET', path: '/admin/api/me' });
    expect(me.status).toBe(200);
  });

  it('no token can create tokens or admins, change roles or remove admins — whatever its scopes — and nothing changes', async () => {
    const all = await tokenWith(API_SCOPES);
    const invite = await s.admin('/admin/api/agents', { body: { email: 'other-admin@example.com', name: 'Other', role: 'admin' } });
    const otherAdmin = invite.body.agent.id as string;
    const tokensBefore = (await s.admin('/admin/api/tokens')).body.data.length;
    const agentsBefore = (await s.admin('/admin/api/agents')).body.data;

    const attempts = [
      { method: 'POST', path: '/admin/api/tokens', body: { name: 'minted', scopes: [...API_SCOPES] } },
      { method: 'POST', path: '/admin/api/agents', body: { email: 'minted-admin@example.com', name: 'Minted', role: 'admin' } },
      { method: 'PATCH', path: `/admin/api/agents/${otherAdmin}`, body: { role: 'agent' } },
      { method: 'DELETE', path: `/admin/api/agents/${otherAdmin}` },
    ];
    for (const a of attempts) {
      const res = await call(all, a);
      expect(res.status, `${a.method} ${a.path}`).toBe(403);
      expect((await res.json()).error.code).toBe('insufficient_scope');
    }
    expect((await s.admin('/admin/api/tokens')).body.data).toHaveLength(tokensBefore);
    expect((await s.admin('/admin/api/agents')).body.data).toEqual(agentsBefore);

    // With `team` a token may invite and remove agents — never admins.
    const agent = await call(all, { method: 'POST', path: '/admin/api/agents', body: { email: 'scripted@example.com', name: 'Scripted' } });
    expect(agent.status).toBe(201);
    const agentId = (await agent.json()).agent.id;
    expect((await call(all, { method: 'DELETE', path: `/admin/api/agents/${agentId}` })).status).toBe(204);
  });

  it('a token created without scopes gets the defaults; bad scopes or expiry are refused and create nothing', async () => {
    const plain = await s.admin('/admin/api/tokens', { body: { name: 'plain' } });
    expect(plain.status).toBe(201);
    expect(plain.body.api_token).toMatchObject({ scopes: [...DEFAULT_API_SCOPES], expires_at: null });
    expect((await call(plain.body.token, { method: 'GET', path: '/admin/api/conversations' })).status).toBe(200);
    expect((await call(plain.body.token, { method: 'GET', path: '/admin/api/settings/widget' })).status).toBe(403);

    const before = (await s.admin('/admin/api/tokens')).body.data.length;
    for (const body of [
      { name: 'x', scopes: ['admin'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: 'team' },
      { name: 'x', expires_at: 'tomorrow' },
      { name: 'x', expires_at: new Date(Date.now() - 60_000).toISOString() },
    ]) {
      const res = await s.admin('/admin/api/tokens', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await s.admin('/admin/api/tokens')).body.data).toHaveLength(before);
  });

  it('a token stops working once it expires; one that has not expired works', async () => {
    const later = new Date(Date.now() + 24 * 3600_000).toISOString();
    const lasting = await s.admin('/admin/api/tokens', { body: { name: 'lasting', expires_at: later } });
    expect(lasting.status).toBe(201);
    expect(lasting.body.api_token.expires_at).toBe(later);
    expect((await call(lasting.body.token, { method: 'GET', path: '/admin/api/conversations' })).status).toBe(200);

    const soon = await s.admin('/admin/api/tokens', { body: { name: 'soon', expires_at: new Date(Date.now() + 1_500).toISOString() } });
    expect(soon.status).toBe(201);
    const res = await waitFor(async () => {
      const r = await call(soon.body.token, { method: 'GET', path: '/admin/api/conversations' });
      return r.status === 401 ? r : null;
    });
    expect((await res.json()).error.message).toMatch(/expired/);
    const listed = (await s.admin('/admin/api/tokens')).body.data.find((t: { name: string }) => t.name === 'soon');
    expect(Date.parse(listed.expires_at)).toBeLessThan(Date.now());
  });

  it('`pnpm connectdesk create-token` takes scopes and an expiry, and refuses unknown scopes', async () => {
    const ok = await runCli(
      ['create-token', '--email', 'admin@example.com', '--name', 'cli', '--scope', 'templates,conversations:read', '--expires-in', '2d'],
      s.env,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const token = /cdk_\S+/.exec(ok.stdout)![0];
    expect(ok.stdout).toContain('scopes: templates conversations:read');
    expect((await call(token, { method: 'GET', path: '/admin/api/templates' })).status).toBe(200);
    expect((await call(token, { method: 'POST', path: '/admin/api/templates/sync' })).status).not.toBe(403);
    expect((await call(token, { method: 'PATCH', path: `/admin/api/conversations/${X}`, body: { status: 'resolved' } })).status).toBe(403);
    const listed = (await s.admin('/admin/api/tokens')).body.data.find((t: { prefix: string; name: string }) => token.startsWith(t.prefix) && t.name === 'cli');
    const days = (Date.parse(listed.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThan(2.1);

    const before = (await s.admin('/admin/api/tokens')).body.data.length;
    const bad = await runCli(['create-token', '--email', 'admin@example.com', '--name', 'cli', '--scope', 'everything'], s.env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown scope everything/);
    const past = await runCli(['create-token', '--email', 'admin@example.com', '--name', 'cli', '--expires-at', '2001-01-01'], s.env);
    expect(past.code).not.toBe(0);
    expect((await s.admin('/admin/api/tokens')).body.data).toHaveLength(before);
  });
});
