/**
 * Settings endpoints: widget appearance validated and stored, canned responses, WhatsApp numbers
 * whose access token is write-only and encrypted at rest, and what to paste into Meta's dashboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const TOKEN = 'EAAGtestTOKENvalue1234567890abcdefSECRET';

describe('admin settings', () => {
  let s: TestServer;
  let db: ReturnType<typeof createDb>;
  let agentCookie: string;
  beforeAll(async () => {
    s = await startTestServer();
    db = createDb(s.config.database);
    const invite = await s.admin('/admin/api/agents', { body: { email: 'agent@example.com', name: 'Agent' } });
    agentCookie = await s.signIn({ email: 'agent@example.com', password: invite.body.password });
  });
  afterAll(async () => {
    await db.destroy();
    await s.stop();
  });

  it('widget settings: defaults, validated updates by admins only, stored and served back', async () => {
    const initial = await s.admin('/admin/api/settings/widget');
    expect(initial.status).toBe(200);
    expect(initial.body.settings).toMatchObject({ color: '#0b57d0', position: 'right' });

    const next = { ...initial.body.settings, color: '#aa3300', position: 'left', greeting: 'Hello <b>there</b>' };
    const put = await s.admin('/admin/api/settings/widget', { method: 'PUT', body: next });
    expect(put.status).toBe(200);
    expect((await s.admin('/admin/api/settings/widget')).body.settings).toMatchObject({ color: '#aa3300', position: 'left', greeting: 'Hello <b>there</b>' });

    const bad = await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { ...next, color: 'red' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/color/);
    expect((await s.admin('/admin/api/settings/widget', { method: 'PUT', body: next, cookie: agentCookie })).status).toBe(403);
    expect((await s.admin('/admin/api/settings/widget')).body.settings.color).toBe('#aa3300');
  });

  it('canned responses: create, update, delete; shortcuts are unique', async () => {
    const created = await s.admin('/admin/api/canned-responses', { body: { shortcut: 'hours', text: 'We are open 9–17, Monday to Friday.' } });
    expect(created.status).toBe(201);
    const id = created.body.canned_response.id;
    expect((await s.admin('/admin/api/canned-responses', { body: { shortcut: 'hours', text: 'again' } })).status).toBe(409);
    expect((await s.admin('/admin/api/canned-responses', { body: { shortcut: 'has space', text: 'x' } })).status).toBe(400);

    const updated = await s.admin(`/admin/api/canned-responses/${id}`, { method: 'PUT', body: { shortcut: 'hours', text: 'Open 8–18.' } });
    expect(updated.body.canned_response.text).toBe('Open 8–18.');
    const list = await s.admin('/admin/api/canned-responses', { cookie: agentCookie });
    expect(list.body.data).toEqual([{ id, shortcut: 'hours', text: 'Open 8–18.' }]);

    expect((await s.admin(`/admin/api/canned-responses/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.admin('/admin/api/canned-responses')).body.data).toEqual([]);
    expect((await s.admin(`/admin/api/canned-responses/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('a WhatsApp access token is write-only: encrypted in the database and never returned', async () => {
    const created = await s.admin('/admin/api/settings/whatsapp-numbers', {
      body: { phone_number_id: '123456789012345', waba_id: '987654321', access_token: TOKEN, target_phone: '+44 7700 900123' },
    });
    expect(created.status).toBe(201);
    expect(created.body.number).toMatchObject({ phone_number_id: '123456789012345', waba_id: '987654321', has_token: true, target_phone: '447700900123' });
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);

    const list = await s.admin('/admin/api/settings/whatsapp-numbers');
    expect(JSON.stringify(list.body)).not.toContain(TOKEN);
    expect(JSON.stringify(list.body)).not.toContain('access_token');
    expect(list.body.data.find((n: { phone_number_id: string }) => n.phone_number_id === '123456789012345').has_token).toBe(true);

    const row = await db('whatsapp_numbers').where({ phone_number_id: '123456789012345' }).first();
    expect(row.access_token_enc).toBeTruthy();
    expect(row.access_token_enc).not.toContain(TOKEN);
    expect(row.access_token_enc).not.toContain(Buffer.from(TOKEN).toString('base64url').slice(0, 16));
    expect(row.access_token_enc).toMatch(/^v1\./);

    // Updating other fields keeps the sealed token; null clears it (fall back to the env token).
    const patched = await s.admin(`/admin/api/settings/whatsapp-numbers/${created.body.number.id}`, { method: 'PATCH', body: { target_phone: '' } });
    expect(patched.body.number).toMatchObject({ has_token: true, target_phone: null });
    expect((await db('whatsapp_numbers').where({ phone_number_id: '123456789012345' }).first()).access_token_enc).toBe(row.access_token_enc);
    const cleared = await s.admin(`/admin/api/settings/whatsapp-numbers/${created.body.number.id}`, { method: 'PATCH', body: { access_token: null } });
    expect(cleared.body.number.has_token).toBe(false);
    expect((await db('whatsapp_numbers').where({ phone_number_id: '123456789012345' }).first()).access_token_enc).toBeNull();
  });

  it('numbers: validation, conflicts, admins only', async () => {
    expect((await s.admin('/admin/api/settings/whatsapp-numbers', { body: { phone_number_id: 'abc' } })).status).toBe(400);
    expect((await s.admin('/admin/api/settings/whatsapp-numbers', { body: { phone_number_id: '555', target_phone: 'call me' } })).status).toBe(400);
    expect((await s.admin('/admin/api/settings/whatsapp-numbers', { body: { phone_number_id: '123456789012345' } })).status).toBe(409);
    const asAgent = await s.admin('/admin/api/settings/whatsapp-numbers', { body: { phone_number_id: '777', access_token: TOKEN }, cookie: agentCookie });
    expect(asAgent.status).toBe(403);
    expect(await db('whatsapp_numbers').where({ phone_number_id: '777' }).first()).toBeUndefined();
  });

  it('connect to Meta: webhook URL from the request origin and the verify token, for admins only', async () => {
    const info = await s.admin('/admin/api/settings/whatsapp-connect');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      webhook_url: `${s.url}/api/whatsapp/webhook`,
      verify_token: s.config.whatsapp.verifyToken,
      verified_at: null,
      mode: 'sandbox',
    });
    expect(JSON.stringify(info.body)).not.toContain(s.config.whatsapp.appSecret);
    expect((await s.admin('/admin/api/settings/whatsapp-connect', { cookie: agentCookie })).status).toBe(403);
  });
});
