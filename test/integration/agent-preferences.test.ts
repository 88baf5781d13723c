/**
 * Each agent's notification preferences live on the server: defaults until changed, their own
 * only, validated (bad input is a 400 and changes nothing), and never changed by an API token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('agent notification preferences', () => {
  let s: TestServer;
  let boCookie: string;
  beforeAll(async () => {
    s = await startTestServer();
    const bo = await s.admin('/admin/api/agents', { body: { email: 'bo@example.com', name: 'Bo' } });
    boCookie = await s.signIn({ email: 'bo@example.com', password: bo.body.password });
  });
  afterAll(() => s.stop());

  const DEFAULTS = { desktop: false, sound: false, email: false, away_after_minutes: 10 };

  it('start off, change one at a time, and belong to one agent', async () => {
    expect((await s.admin('/admin/api/me/preferences')).body).toEqual({ preferences: DEFAULTS, email_configured: false });
    const desktop = await s.admin('/admin/api/me/preferences', { method: 'PATCH', body: { desktop: true } });
    expect(desktop.body.preferences).toEqual({ ...DEFAULTS, desktop: true });
    const more = await s.admin('/admin/api/me/preferences', { method: 'PATCH', body: { sound: true, away_after_minutes: 0 } });
    expect(more.body.preferences).toEqual({ ...DEFAULTS, desktop: true, sound: true, away_after_minutes: 0 });
    // Bo's are his own.
    expect((await s.admin('/admin/api/me/preferences', { cookie: boCookie })).body.preferences).toEqual(DEFAULTS);
    await s.admin('/admin/api/me/preferences', { method: 'PATCH', body: { email: true }, cookie: boCookie });
    expect((await s.admin('/admin/api/me/preferences')).body.preferences.email).toBe(false);
  });

  it('refuse bad input with 400 and keep what was stored', async () => {
    const before = (await s.admin('/admin/api/me/preferences')).body.preferences;
    for (const body of [
      {},
      { desktop: 'yes' },
      { sound: 1 },
      { away_after_minutes: 241 },
      { away_after_minutes: 2.5 },
      { away_after_minutes: -1 },
      { email: true, admin: true },
    ]) {
      const res = await s.admin('/admin/api/me/preferences', { method: 'PATCH', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const raw = await s.fetch('/admin/api/me/preferences', {
      method: 'PATCH',
      headers: { cookie: await s.signIn(), origin: s.url, 'content-type': 'application/json' },
      body: '{"desktop":',
    });
    expect(raw.status).toBe(400);
    expect((await s.admin('/admin/api/me/preferences')).body.preferences).toEqual(before);
  });

  it('can be read but not changed with an API token, and not at all signed out', async () => {
    const token = (await s.admin('/admin/api/tokens', { body: { name: 'script' } })).body.token as string;
    const auth = { authorization: `Bearer ${token}` };
    expect((await s.fetch('/admin/api/me/preferences', { headers: auth })).status).toBe(200);
    const patch = await s.fetch('/admin/api/me/preferences', {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"email":true}',
    });
    expect(patch.status).toBe(403);
    expect((await s.fetch('/admin/api/me/preferences')).status).toBe(401);
  });
});
