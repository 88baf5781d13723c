/**
 * The team endpoints: agents listed for assignment, invited with a password shown once and removed
 * by admins only; API tokens shown once, usable as Bearer tokens, and dead once revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('admin team: agents and API tokens', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('an admin invites an agent whose generated password works once and is never shown again', async () => {
    const invite = await s.admin('/admin/api/agents', { body: { email: 'Ana@Example.com', name: 'Ana' } });
    expect(invite.status).toBe(201);
    expect(invite.body.agent).toMatchObject({ email: 'ana@example.com', name: 'Ana', role: 'agent' });
    expect(invite.body.password).toMatch(/^\S{12,}$/);

    const list = await s.admin('/admin/api/agents');
    expect(list.status).toBe(200);
    expect(list.body.data.map((a: { email: string }) => a.email)).toEqual(['admin@example.com', 'ana@example.com']);
    expect(JSON.stringify(list.body)).not.toContain(invite.body.password);
    expect(JSON.stringify(list.body)).not.toMatch(/password/i);

    const anaCookie = await s.signIn({ email: 'ana@example.com', password: invite.body.password });
    const me = await s.admin('/admin/api/me', { cookie: anaCookie });
    expect(me.body.user.email).toBe('ana@example.com');

    const dup = await s.admin('/admin/api/agents', { body: { email: 'ana@example.com', name: 'Ana again' } });
    expect(dup.status).toBe(409);
    const bad = await s.admin('/admin/api/agents', { body: { email: 'not-an-email', name: 'X' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('agents cannot invite or remove; admins remove agents and their sessions end', async () => {
    const invite = await s.admin('/admin/api/agents', { body: { email: 'bo@example.com', name: 'Bo' } });
    const boCookie = await s.signIn({ email: 'bo@example.com', password: invite.body.password });

    const asAgent = await s.admin('/admin/api/agents', { body: { email: 'eve@example.com', name: 'Eve' }, cookie: boCookie });
    expect(asAgent.status).toBe(403);
    const admins = await s.admin('/admin/api/agents', { cookie: boCookie });
    const adminId = admins.body.data.find((a: { role: string }) => a.role === 'admin').id;
    expect((await s.admin(`/admin/api/agents/${adminId}`, { method: 'DELETE', cookie: boCookie })).status).toBe(403);

    expect((await s.admin(`/admin/api/agents/${adminId}`, { method: 'DELETE' })).status).toBe(409); // not yourself
    const removed = await s.admin(`/admin/api/agents/${invite.body.agent.id}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await s.admin('/admin/api/me', { cookie: boCookie })).status).toBe(401);
    const list = await s.admin('/admin/api/agents');
    expect(list.body.data.map((a: { email: string }) => a.email)).not.toContain('bo@example.com');
    expect((await s.admin(`/admin/api/agents/${invite.body.agent.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('an API token is shown once, authenticates scripts, and stops working when revoked', async () => {
    const created = await s.admin('/admin/api/tokens', { body: { name: 'CRM sync' } });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^cdk_/);
    expect(created.body.api_token).toMatchObject({ name: 'CRM sync', prefix: token.slice(0, 10) });

    const list = await s.admin('/admin/api/tokens');
    expect(list.body.data).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token);

    const bearer = (t: string) => s.fetch('/admin/api/conversations', { headers: { authorization: `Bearer ${t}` } });
    expect((await bearer(token)).status).toBe(200);

    const revoked = await s.admin(`/admin/api/tokens/${created.body.api_token.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    expect((await bearer(token)).status).toBe(401);
    expect((await s.admin('/admin/api/tokens')).body.data).toHaveLength(0);
  });

  it('GET /admin/api/session says who is signed in, without a 401 for nobody', async () => {
    const nobody = await s.fetch('/admin/api/session');
    expect(nobody.status).toBe(200);
    expect(await nobody.json()).toEqual({ user: null });
    const me = await s.admin('/admin/api/session');
    expect(me.body.user).toMatchObject({ email: 'admin@example.com', role: 'admin' });
    expect(JSON.stringify(me.body)).not.toMatch(/password/i);
  });

  it('agents see and revoke only their own tokens', async () => {
    const adminToken = await s.admin('/admin/api/tokens', { body: { name: 'admin script' } });
    const invite = await s.admin('/admin/api/agents', { body: { email: 'cy@example.com', name: 'Cy' } });
    const cyCookie = await s.signIn({ email: 'cy@example.com', password: invite.body.password });
    const cyToken = await s.admin('/admin/api/tokens', { body: { name: 'cy script' }, cookie: cyCookie });
    expect(cyToken.status).toBe(201);

    const cyList = await s.admin('/admin/api/tokens', { cookie: cyCookie });
    expect(cyList.body.data.map((t: { name: string }) => t.name)).toEqual(['cy script']);
    expect((await s.admin(`/admin/api/tokens/${adminToken.body.api_token.id}`, { method: 'DELETE', cookie: cyCookie })).status).toBe(404);

    const adminList = await s.admin('/admin/api/tokens');
    expect(adminList.body.data.map((t: { name: string }) => t.name).sort()).toEqual(['admin script', 'cy script']);
  });
});
