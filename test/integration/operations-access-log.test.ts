/**
 * Access logs and request ids, read from the server's own log lines: one info line per request
 * (method, route template, status, ms, request id); a valid incoming X-Request-Id is kept and
 * echoed, anything else replaced; and the id follows the work — to the Graph send of the outbox
 * row the request queued, and to the applying of the webhook delivery it stored.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_OWNER_PHONE } from '../../server/src/config.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, customerText, messagesWebhook, phoneSend, postWebhook } from '../support/whatsapp.ts';

type LogLine = Record<string, unknown> & { msg: string; level: number };
const INFO = 30;
const GENERATED = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const json = { 'content-type': 'application/json' };

describe('access log and request ids', () => {
  let s: TestServer;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    let partial = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = partial + chunk.toString('utf8');
        const parts = text.split('\n');
        partial = parts.pop()!;
        for (const p of parts) if (p) lines.push(JSON.parse(p) as LogLine);
        done();
      },
    });
    s = await startTestServer({ LOG_LEVEL: 'info' }, { logDestination: destination });
  });
  afterAll(() => s?.stop());

  const accessLine = (requestId: string) => lines.find((l) => l.msg === 'request' && l.requestId === requestId);
  const waitForLine = (what: string, match: (l: LogLine) => boolean) => waitFor(() => lines.find(match), { message: what });

  it('writes one info line per request and echoes a valid X-Request-Id', async () => {
    const res = await s.fetch('/healthz', { headers: { 'x-request-id': 'probe-1.a:b_c' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('probe-1.a:b_c');
    const line = await waitFor(() => accessLine('probe-1.a:b_c'));
    expect(line).toMatchObject({ level: INFO, method: 'GET', route: '/healthz', status: 200, ip: '127.0.0.1' });
    expect(line.ms).toEqual(expect.any(Number));
    expect(lines.filter((l) => l.requestId === 'probe-1.a:b_c' && l.msg === 'request')).toHaveLength(1);

    // Errors too, with the route template rather than the raw path.
    const cookie = await s.signIn();
    const missing = await s.fetch('/admin/api/conversations/01NOSUCHCONVERSATION00000/messages', { headers: { cookie, 'x-request-id': 'probe-404' } });
    expect(missing.status).toBe(404);
    expect(await waitFor(() => accessLine('probe-404'))).toMatchObject({ method: 'GET', route: '/admin/api/conversations/:id/messages', status: 404 });
    const unknown = await s.fetch('/no/such/page', { headers: { 'x-request-id': 'probe-unmatched' } });
    expect(unknown.status).toBe(404);
    expect(await waitFor(() => accessLine('probe-unmatched'))).toMatchObject({ route: 'unmatched', status: 404 });
  });

  it('replaces an invalid X-Request-Id with a new one, and gives requests without one their own', async () => {
    for (const bad of ['has spaces', 'x'.repeat(129), 'quote"d', 'semi;colon']) {
      const res = await s.fetch('/healthz', { headers: { 'x-request-id': bad } });
      const id = res.headers.get('x-request-id')!;
      expect(id, bad).toMatch(GENERATED);
      expect(await waitFor(() => accessLine(id))).toMatchObject({ route: '/healthz', status: 200 });
      expect(lines.some((l) => l.requestId === bad)).toBe(false);
    }
    const [a, b] = await Promise.all([s.fetch('/healthz'), s.fetch('/healthz')]);
    expect(a.headers.get('x-request-id')).toMatch(GENERATED);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('keeps a visitor message’s X-Request-Id on its access line (owner forwards are coalesced, so they carry none)', async () => {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { ...json, 'x-request-id': 'visitor-post-1' },
      body: JSON.stringify({ text: 'trace me', name: 'Ana' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('visitor-post-1');
    expect(await waitFor(() => accessLine('visitor-post-1'))).toMatchObject({ method: 'POST', route: '/api/messages', status: 201 });
  });

  it('follows a signed webhook into applying, and an agent reply into the outbox', async () => {
    const waId = '447700903001';
    const delivered = await postWebhook(s, messagesWebhook(s, customerText(waId, 'hi, trace this')), { headers: { 'x-request-id': 'meta-delivery-1' } });
    expect(delivered.status).toBe(200);
    expect(delivered.headers.get('x-request-id')).toBe('meta-delivery-1');
    expect(await waitFor(() => accessLine('meta-delivery-1'))).toMatchObject({ method: 'POST', route: '/api/whatsapp/webhook', status: 200 });
    const applied = await waitForLine('the delivery to be applied', (l) => l.msg === 'webhook event applied' && l.requestId === 'meta-delivery-1');
    expect(applied).toMatchObject({ level: INFO, webhookEvent: expect.any(String), lagMs: expect.any(Number) });

    const c = await conversationOf(s, waId);
    const cookie = await s.signIn();
    const reply = await s.fetch(`/admin/api/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { ...json, cookie, origin: s.url, 'x-request-id': 'agent-reply-1' },
      body: JSON.stringify({ message_type: 'text', text: 'traced answer' }),
    });
    expect(reply.status).toBe(201);
    expect(await waitFor(() => accessLine('agent-reply-1'))).toMatchObject({ route: '/admin/api/conversations/:id/messages', status: 201 });
    expect(await waitForLine('the reply to be sent', (l) => l.msg === 'sent to WhatsApp' && l.requestId === 'agent-reply-1')).toMatchObject({
      kind: 'message',
    });
  });

  it('gives a delivery without an X-Request-Id its own id, which its applying carries', async () => {
    // The owner writes from their phone: the sandbox delivers it without an X-Request-Id.
    await phoneSend(s, SANDBOX_OWNER_PHONE, { type: 'text', text: { body: 'owner says hi' } });
    const access = await waitForLine(
      'the owner’s delivery',
      (l) =>
        l.msg === 'request' &&
        l.route === '/api/whatsapp/webhook' &&
        l.requestId !== 'meta-delivery-1' &&
        lines.some((a) => a.msg === 'webhook event applied' && a.requestId === l.requestId),
    );
    expect(access.requestId as string).toMatch(GENERATED);
  });
});
