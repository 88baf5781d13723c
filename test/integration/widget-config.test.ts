/**
 * What the widget reads before it draws: GET /api/widget/config follows the admin's widget
 * settings, business hours and the business's WhatsApp number; and how /widget.js and its chunks
 * are served (CORS-open, loader short-cached, hashed chunks immutable, brotli).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

const DIST = path.resolve(import.meta.dirname, '../../widget/dist');

describe('widget config and assets', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('serves the defaults to any origin, without secrets', async () => {
    const res = await s.fetch('/api/widget/config', { headers: { origin: 'https://shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(body).toMatchObject({
      site_name: 'ConnectDesk',
      color: '#0b57d0',
      position: 'right',
      greeting: 'Hi! How can we help you today?',
      ask_name: false,
      ask_email: false,
      ask_whatsapp: true,
      whatsapp_handoff: true,
      online: true,
      agents_online: false,
      next_open_at: null,
    });
    expect(body).not.toHaveProperty('business_hours');
    expect(JSON.stringify(body)).not.toMatch(/token|secret/i);
  });

  it('follows the widget settings the admin saves, including business hours', async () => {
    const put = await s.admin('/admin/api/settings/widget', {
      method: 'PUT',
      body: {
        color: '#ffd60a',
        position: 'left',
        greeting: 'Olá!',
        ask_name: true,
        business_hours: { enabled: true, timezone: 'UTC', days: [] },
      },
    });
    expect(put.status).toBe(200);
    const body = await (await s.fetch('/api/widget/config')).json();
    expect(body).toMatchObject({ color: '#ffd60a', position: 'left', greeting: 'Olá!', ask_name: true, online: false });

    const always = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '00:00' }));
    await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { business_hours: { enabled: true, timezone: 'Asia/Dhaka', days: always } } });
    expect(await (await s.fetch('/api/widget/config')).json()).toMatchObject({ online: true, next_open_at: null });
  });

  it('says when a closed business opens next, for "Back Monday 9:00"', async () => {
    // Open one hour a day, starting two hours from now (UTC): closed now, opening later today or tomorrow.
    const start = new Date(Date.now() + 2 * 3_600_000);
    const hh = String(start.getUTCHours()).padStart(2, '0');
    const hour = { open: `${hh}:00`, close: `${String((start.getUTCHours() + 1) % 24).padStart(2, '0')}:00` };
    const days = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, ...hour }));
    await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { business_hours: { enabled: true, timezone: 'UTC', days } } });
    const body = await (await s.fetch('/api/widget/config')).json();
    expect(body.online).toBe(false);
    const opens = Date.parse(body.next_open_at);
    expect(new Date(opens).getUTCHours()).toBe(start.getUTCHours());
    expect(new Date(opens).getUTCMinutes()).toBe(0);
    expect(opens).toBeGreaterThan(Date.now() + 3_600_000);
    expect(opens).toBeLessThanOrEqual(start.getTime());
  });

  it('offers the default WhatsApp number (digits only) for "continue on WhatsApp"', async () => {
    const numbers = (await s.admin('/admin/api/settings/whatsapp-numbers')).body.data as { id: string; is_default: boolean }[];
    const id = numbers.find((n) => n.is_default)?.id ?? numbers[0]?.id;
    if (!id) {
      await s.admin('/admin/api/settings/whatsapp-numbers', {
        body: { phone_number_id: '123456789012345', display_phone_number: '+1 555-010-9999' },
      });
    } else {
      expect((await s.admin(`/admin/api/settings/whatsapp-numbers/${id}`, { method: 'PATCH', body: { display_phone_number: '+1 555-010-9999' } })).status).toBe(
        200,
      );
    }
    expect((await (await s.fetch('/api/widget/config')).json()).whatsapp_number).toBe('15550109999');
  });

  it.runIf(fs.existsSync(path.join(DIST, 'widget.js')))(
    'serves the loader short-cached and hashed chunks immutable, brotli-compressed, to any origin',
    async () => {
      const loader = await s.fetch('/widget.js', { headers: { 'accept-encoding': 'br' } });
      expect(loader.status).toBe(200);
      expect(loader.headers.get('content-encoding')).toBe('br');
      expect(loader.headers.get('access-control-allow-origin')).toBe('*');
      expect(loader.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
      const src = await loader.text();
      const chunk = /app-[A-Za-z0-9_-]{8,}\.js/.exec(src)![0];
      const res = await s.fetch(`/widget/${chunk}`, { headers: { 'accept-encoding': 'br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect((await s.fetch('/widget/app-doesnotexist.js')).status).toBe(404);
    },
  );
});
