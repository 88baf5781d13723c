/**
 * The shared schemas are the wire contract: what the running server answers parses with the
 * response schema its route declares, and a value refused over HTTP is refused over the socket too
 * (one rule for e-mail and phone numbers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteSpec } from '@connectdesk/shared';
import { startTestServer, type TestServer } from '../support/server.ts';

type AckResult = { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string } };

describe('the wire contract', () => {
  let s: TestServer;
  let visitorToken: string;
  let conversationId: string;

  beforeAll(async () => {
    s = await startTestServer();
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello from the contract test', name: 'Ana', email: 'ana@example.com', phone: '+44 7700 900123' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { visitor_token: string; conversation_id: string };
    visitorToken = body.visitor_token;
    conversationId = body.conversation_id;
  });
  afterAll(() => s?.stop());

  /** The JSON 200 response schema a route declares. */
  const okSchema = (r: RouteSpec) => {
    const ok = r.responses[200];
    return ok?.schema && (ok.contentType ?? 'application/json') === 'application/json' ? ok.schema : null;
  };

  it('every JSON GET route answers what its response schema says', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const queries: Record<string, string> = {
      '/api/messages': `visitor_token=${visitorToken}`,
      '/api/surveys/current': `visitor_token=${visitorToken}`,
      '/admin/api/templates/:name/preview': 'language=en_US',
    };
    const params: Record<string, string> = { id: conversationId, name: 'hello_world' };
    const checked: string[] = [];
    for (const route of ROUTES.filter((r) => r.method === 'get' && okSchema(r))) {
      let path = route.path.replace(/:(\w+)/g, (_, p: string) => params[p]!);
      const query = queries[route.path] ?? (route.path.startsWith('/admin/api/reports/') ? `from=${today}&to=${today}&tz=UTC` : '');
      if (query) path += `?${query}`;
      // Ids other than a conversation's (webhook events, media, canned responses...) are left out.
      if (/\/(media|webhook-events|canned-responses|whatsapp-numbers|agents|tokens)\/:id/.test(route.path)) continue;
      const res = route.path.startsWith('/admin/api/')
        ? await s.admin(path)
        : await s.fetch(path).then(async (r) => ({ status: r.status, body: await r.json() }));
      expect(res.status, `${route.method.toUpperCase()} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
      const parsed = okSchema(route)!.safeParse(res.body);
      expect(parsed.success ? [] : parsed.error.issues, `${route.method.toUpperCase()} ${path}`).toEqual([]);
      checked.push(route.path);
    }
    expect(checked.length).toBeGreaterThan(30);
    expect(checked).toContain('/admin/api/conversations/:id/messages');
  });

  it('an invalid e-mail is refused over HTTP and over the socket alike', async () => {
    const http = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi', email: 'not-an-email' }),
    });
    expect(http.status).toBe(400);
    expect(((await http.json()) as { error: { code: string } }).error.code).toBe('validation_failed');

    const socket = await s.visitorSocket();
    const send = (await socket.timeout(5000).emitWithAck('message:send', { text: 'hi', client_id: 'c-email', email: 'not-an-email' })) as AckResult;
    expect(send).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining('email') } });
    const identify = (await socket.timeout(5000).emitWithAck('identify', { email: 'not-an-email' })) as AckResult;
    expect(identify).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    // Empty means "not given", as over HTTP.
    const ok = (await socket.timeout(5000).emitWithAck('message:send', { text: 'hi', client_id: 'c-empty', email: '' })) as AckResult;
    expect(ok.ok).toBe(true);
  });

  it('one phone rule: refused over HTTP, in both socket events and in Settings with the same message', async () => {
    const message = 'must be a phone number in international format, like +44 7700 900123';
    const http = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi', phone: 'call me maybe' }),
    });
    expect(http.status).toBe(400);
    expect(((await http.json()) as { error: { message: string } }).error.message).toContain(message);

    const socket = await s.visitorSocket();
    for (const [event, payload] of [
      ['message:send', { text: 'hi', client_id: 'c-phone', phone: 'call me maybe' }],
      ['identify', { phone: '12' }],
    ] as const) {
      const ack = (await socket.timeout(5000).emitWithAck(event, payload)) as AckResult;
      expect(ack, event).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining(message) } });
    }

    const settings = await s.admin('/admin/api/settings/whatsapp-numbers', { body: { phone_number_id: '123456789', target_phone: 'call me maybe' } });
    expect(settings.status).toBe(400);
    expect(settings.body.error.message).toContain(message);
  });
});
