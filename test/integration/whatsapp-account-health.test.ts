/**
 * Errors, statuses and account health through the embedded sandbox over HTTP: Meta's throttling
 * codes keep a reply queued with the documented wait (80007 with HTTP 400 or 429, 131048), 131049
 * fails it with an explanation and a fix, an expired token (190/463) pauses the number's sends —
 * agents still get 201, nothing fails, the checklist turns red — until a token is saved; account
 * webhooks (bans, quality, throughput, display names, alerts) are shown to admins.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { clearFaults, conversationOf, messagesOf, phoneSend } from '../support/whatsapp.ts';

async function fault(s: TestServer, body: Record<string, unknown>): Promise<void> {
  const res = await s.fetch('/sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`fault injection failed: ${res.status} ${await res.text()}`);
}

async function reply(s: TestServer, waId: string, text: string): Promise<{ conversationId: string; messageId: string; status: number; initial: string }> {
  await phoneSend(s, waId, { type: 'text', text: { body: 'hello?' } });
  const c = await conversationOf(s, waId);
  const res = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text } });
  return { conversationId: c.id, messageId: res.body.message?.id, status: res.status, initial: res.body.message?.status };
}

const messageWhere = (s: TestServer, conversationId: string, id: string, ok: (m: any) => boolean) =>
  waitFor(async () => (await messagesOf(s, conversationId)).find((m) => m.id === id && ok(m)) ?? null, { timeout: 15_000 });

describe('Meta errors through the sandbox', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterEach(() => clearFaults(s));
  afterAll(() => s.stop());

  it.each([
    ['account_rate_limit', '447700931001'],
    ['account_rate_limit_429', '447700931002'],
  ])('80007 (%s) keeps the reply queued and retries it a minute later at the earliest, not as a permanent error', async (kind, waId) => {
    await fault(s, { kind, count: 1 });
    const sent = await reply(s, waId, 'rate limited reply');
    expect(sent.status).toBe(201);
    const m = await messageWhere(s, sent.conversationId, sent.messageId, (x) => x.error?.code === '80007');
    expect(m.status).toBe('queued');
    expect(m.error).toMatchObject({ code: '80007', title: 'Rate limit issues', retryable: true });
    const retryAt = Date.parse(/retrying at (\S+)\./.exec(m.error.detail)![1]!);
    expect(retryAt - Date.parse(m.created_at)).toBeGreaterThanOrEqual(60_000);
  });

  it('131048 (spam rate limit) is retried after the documented wait', async () => {
    await fault(s, { kind: 'spam_rate_limit', count: 1 });
    const sent = await reply(s, '447700931003', 'spam limited reply');
    const m = await messageWhere(s, sent.conversationId, sent.messageId, (x) => x.error?.code === '131048');
    expect(m.status).toBe('queued');
    expect(m.error).toMatchObject({ title: 'Spam rate limit hit', retryable: true });
    const retryAt = Date.parse(/retrying at (\S+)\./.exec(m.error.detail)![1]!);
    expect(retryAt - Date.parse(m.created_at)).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it('131049 (healthy ecosystem) arrives as a failed status and is explained with a fix', async () => {
    await fault(s, { kind: 'ecosystem_limit', count: 1 });
    const sent = await reply(s, '447700931004', 'not delivered');
    const m = await messageWhere(s, sent.conversationId, sent.messageId, (x) => x.status === 'failed');
    expect(m.error.code).toBe('131049');
    expect(m.error.explanation).toMatch(/marketing/);
    expect(m.error.fix).toMatch(/Do not resend at once/);
  });

  it('send-only faults wait for a send: other Graph calls pass them by', async () => {
    await fault(s, { kind: 'spam_rate_limit', count: 1 });
    const overview = await (await s.fetch('/sandbox/')).json();
    expect(overview.faults).toEqual([{ kind: 'spam_rate_limit', remaining: 1 }]);
    expect((await s.admin('/admin/api/checklist')).body.data.find((i: any) => i.id === 'phone_registered').ok).toBe(true);
    expect((await (await s.fetch('/sandbox/faults')).json()).faults).toEqual([{ kind: 'spam_rate_limit', remaining: 1 }]);
  });

  it('refuses an unknown fault kind', async () => {
    const res = await s.fetch('/sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"token_gone"}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/token_expired/);
  });
});

describe('an expired access token (190) pauses sending until a token is saved', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('pauses, shows it to admins, turns the checklist red, then resumes on a saved token', async () => {
    await phoneSend(s, '447700932001', { type: 'text', text: { body: 'hi' } });
    await fault(s, { kind: 'token_expired' });
    const sent = await reply(s, '447700932001', 'sent once the token is renewed');
    expect([sent.status, sent.initial]).toEqual([201, 'queued']);

    const paused = await messageWhere(s, sent.conversationId, sent.messageId, (x) => x.error?.code === '190');
    expect(paused.status).toBe('queued');
    expect(paused.error.title).toBe('Paused: access token problem');
    expect(paused.error.detail).toMatch(/resumes on its own/);

    // A second reply is accepted too and waits; nothing fails.
    const second = await s.admin(`/admin/api/conversations/${sent.conversationId}/messages`, { body: { message_type: 'text', text: 'second' } });
    expect([second.status, second.body.message.status]).toEqual([201, 'queued']);

    const account = await s.admin('/admin/api/whatsapp/account');
    expect(account.status).toBe(200);
    expect(account.body.sending_paused).toBe(true);
    const number = account.body.numbers.find((n: any) => n.token_problem);
    expect(number.token_problem).toMatchObject({ code: '190', detail: expect.stringMatching(/Session has expired/) });

    const checklist = await s.admin('/admin/api/checklist');
    const items = Object.fromEntries(checklist.body.data.map((i: any) => [i.id, i]));
    expect(checklist.body.ready).toBe(false);
    expect(items.sending_not_paused.ok).toBe(false);
    expect(items.token.ok).toBe(false);

    // The business issues a new token (the sandbox accepts calls again) and an admin saves it.
    await clearFaults(s);
    const patched = await s.admin(`/admin/api/settings/whatsapp-numbers/${number.id}`, {
      method: 'PATCH',
      body: { access_token: 'EAAG-renewed-system-user-token' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.number.token_problem).toBeNull();

    for (const id of [sent.messageId, second.body.message.id]) {
      const m = await messageWhere(s, sent.conversationId, id, (x) => ['sent', 'delivered', 'read'].includes(x.status));
      expect(m.error).toBeNull();
    }
    expect((await s.admin('/admin/api/whatsapp/account')).body.sending_paused).toBe(false);
    const after = Object.fromEntries((await s.admin('/admin/api/checklist')).body.data.map((i: any) => [i.id, i]));
    expect(after.sending_not_paused.ok).toBe(true);
  });

  it('needs a token to expire when the sandbox accepts any', async () => {
    const res = await s.fetch('/sandbox/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"kind":"token_expired","token":""}',
    });
    expect(res.status).toBe(400);
  });
});

describe('account webhooks are shown to admins', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const emit = async (body: Record<string, unknown>) => {
    const res = await s.fetch('/sandbox/account-events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return res.json();
  };

  it('records bans, violations, restrictions, quality, throughput, display names and alerts', async () => {
    const before = (await s.admin('/admin/api/whatsapp/account')).body.numbers[0];
    await emit({ field: 'phone_number_quality_update', event: 'THROUGHPUT_UPGRADE' });
    await emit({ field: 'account_update', event: 'DISABLED_UPDATE', ban_state: 'SCHEDULE_FOR_DISABLE' });
    await emit({ field: 'account_update', event: 'ACCOUNT_VIOLATION', violation_type: 'ADULT' });
    await emit({ field: 'account_update', event: 'ACCOUNT_RESTRICTION' });
    await emit({ field: 'phone_number_name_update', decision: 'REJECTED' });
    await emit({ field: 'account_alerts', alert_severity: 'CRITICAL' });
    await emit({ field: 'phone_number_quality_update', event: 'FLAGGED' });

    const account = await waitFor(async () => {
      const res = await s.admin('/admin/api/whatsapp/account');
      return res.body.events.length >= 7 ? res.body : null;
    });
    const byField = (field: string, event?: string) => account.events.filter((e: any) => e.field === field && (!event || e.event === event));
    expect(byField('phone_number_quality_update', 'THROUGHPUT_UPGRADE')[0].summary).toMatch(/higher throughput/);
    expect(byField('account_update', 'DISABLED_UPDATE')[0]).toMatchObject({ severity: 'critical', summary: expect.stringMatching(/scheduled to be disabled/) });
    expect(byField('account_update', 'ACCOUNT_VIOLATION')[0].summary).toMatch(/adult/);
    expect(byField('account_update', 'ACCOUNT_RESTRICTION')[0].summary).toMatch(/restricted biz initiated messaging/);
    expect(byField('phone_number_name_update')[0]).toMatchObject({ event: 'REJECTED', severity: 'warning' });
    expect(byField('account_alerts')[0].severity).toBe('critical');

    const number = account.numbers[0];
    // Throughput is its own thing: the messaging tier is what it was.
    expect(number.throughput_level).toBe('HIGH');
    expect(number.messaging_tier).toBe(before.messaging_tier);
    expect(number.quality_rating).toBe('RED');
  });

  it('refuses an account event Meta does not send', async () => {
    const res = await s.fetch('/sandbox/account-events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"field":"account_update","event":"NOPE"}',
    });
    expect(res.status).toBe(400);
  });

  it('is for signed-in agents only', async () => {
    expect((await s.fetch('/admin/api/whatsapp/account')).status).toBe(401);
  });
});
