/**
 * The sandbox answers like Meta for every error ConnectDesk must handle, and GraphClient turns each
 * into a GraphApiError with Meta's code, status, details and fbtrace_id and the right retry advice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { GraphApiError, errorCodeOf, isRetryable } from '../../server/src/whatsapp/graph-error.ts';

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as GraphApiError,
  );

const failedStatuses = (h: SandboxHarness, wamid: string) =>
  h.receiver.received.flatMap((w) => w.body?.entry?.[0]?.changes?.[0]?.value?.statuses ?? []).filter((s: { id: string }) => s.id === wamid);

describe('GraphClient → sandbox: Meta errors', () => {
  let h: SandboxHarness;
  let t = Date.UTC(2026, 5, 1);
  const clock = { now: () => t };
  const open = '15550001111';

  beforeAll(async () => {
    h = await startSandboxHarness({ now: clock.now, messagesPerSecond: 1000, pairRate: { burst: 1000, intervalMs: 6000 } });
    await h.phoneSends(open, { type: 'text', text: { body: 'hi' } });
  });
  afterAll(() => h.close());

  it('190 with 401 for a wrong token and for none at all', async () => {
    const wrong = await fail(h.client({ token: 'not-the-token' }).sendText(open, 'x'));
    expect(wrong).toBeInstanceOf(GraphApiError);
    expect(wrong).toMatchObject({ httpStatus: 401, code: 190, type: 'OAuthException', retryable: false });
    expect(wrong.fbtraceId).toMatch(/\S+/);
    expect(wrong.message).not.toContain('not-the-token');
    const none = await fetch(`${h.graphUrl}/v25.0/100000000000001/messages`, { method: 'POST' });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe(190);
    const viaQuery = await fetch(`${h.graphUrl}/v25.0/100000000000001?access_token=harness-token`);
    expect(viaQuery.status).toBe(200);
  });

  it('100 for bad bodies, bad JSON, unknown objects and unknown paths', async () => {
    const client = h.client();
    const noTo = await fail(client.sendMessage({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } } as never));
    expect(noTo).toMatchObject({ httpStatus: 400, code: 100 });
    expect(noTo.details).toMatch(/to/);
    const tooLong = await fail(client.sendText(open, 'x'.repeat(4097)));
    expect(tooLong).toMatchObject({ code: 100 });
    const badProduct = await fail(client.sendMessage({ messaging_product: 'sms', to: open, type: 'text', text: { body: 'x' } } as never));
    expect(badProduct).toMatchObject({ code: 100 });
    const otherNumber = await fail(client.sendText(open, 'x', { phoneNumberId: '999' }));
    expect(otherNumber).toMatchObject({ code: 100, subcode: 33, type: 'GraphMethodException' });

    const headers = { authorization: 'Bearer harness-token', 'content-type': 'application/json' };
    const badJson = await fetch(`${h.graphUrl}/v25.0/100000000000001/messages`, { method: 'POST', headers, body: '{"messaging_product":' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.code).toBe(100);
    const unknown = await fetch(`${h.graphUrl}/v25.0/100000000000001/nothing_here`, { headers });
    expect((await unknown.json()).error).toMatchObject({ code: 100, message: expect.stringMatching(/Unknown path/) });
    const badVersion = await fetch(`${h.graphUrl}/latest/100000000000001`, { headers });
    expect((await badVersion.json()).error.code).toBe(100);
  });

  it('131009 for a recipient that is not a phone number, 131021 for the business itself', async () => {
    expect(await fail(h.client().sendText('call-me-maybe', 'x'))).toMatchObject({ code: 131009 });
    expect(await fail(h.client().sendText('15550000001', 'x'))).toMatchObject({ code: 131021 });
  });

  it('131051 for a message type WhatsApp does not support', async () => {
    const err = await fail(h.client().sendMessage({ messaging_product: 'whatsapp', to: open, type: 'poll', poll: {} } as never));
    expect(err).toMatchObject({ httpStatus: 400, code: 131051, title: 'Unsupported message type' });
    expect(isRetryable(err)).toBe(false);
  });

  it('132001 (404) for a missing template, a wrong language and a template not approved yet', async () => {
    const client = h.client();
    for (const [name, language] of [
      ['no_such_template', 'en_US'],
      ['connectdesk_welcome', 'fr'],
      ['connectdesk_holiday_hours', 'en_US'],
      ['connectdesk_survey', 'en_US'],
    ] as const) {
      const err = await fail(client.sendTemplate(open, { name, language, parameters: ['x'] }));
      expect(err, `${name}/${language}`).toMatchObject({ httpStatus: 404, code: 132001 });
      expect(err.details).toContain(name);
      expect(errorCodeOf(err)).toBe('132001');
    }
    const spanish = await client.sendTemplate(open, { name: 'connectdesk_welcome', language: 'es', parameters: ['Ana'] });
    expect(spanish.messages[0]!.id).toMatch(/^wamid\./);
  });

  it('132000 when the parameter count does not match, in either direction', async () => {
    const client = h.client();
    const tooFew = await fail(client.sendTemplate(open, { name: 'connectdesk_new_message', language: 'en_US', parameters: ['Ana'] }));
    expect(tooFew).toMatchObject({ httpStatus: 400, code: 132000 });
    expect(tooFew.details).toMatch(/\(1\).*\(3\)/);
    const tooMany = await fail(client.sendTemplate(open, { name: 'hello_world', language: 'en_US', parameters: ['surplus'] }));
    expect(tooMany).toMatchObject({ code: 132000 });
    const headerless = await fail(client.sendTemplate(open, { name: 'connectdesk_welcome', language: 'en_US', parameters: ['Ana'], headerParameters: ['x'] }));
    expect(headerless).toMatchObject({ code: 132000 });
  });

  it('132018 for a template parameter with a new line, a tab or more than four spaces in a row', async () => {
    const client = h.client();
    for (const bad of ['two\nlines', 'a\ttab', 'five     spaces']) {
      const err = await fail(client.sendTemplate(open, { name: 'connectdesk_new_message', language: 'en_US', parameters: ['Ana', 'example.com', bad] }));
      expect(err).toMatchObject({ httpStatus: 400, code: 132018, retryable: false });
      expect(err.details).toContain('Param text cannot have new-line/tab characters or more than 4 consecutive spaces');
    }
    // Four spaces are allowed, and the same text on one line goes through.
    const ok = await client.sendTemplate(open, { name: 'connectdesk_new_message', language: 'en_US', parameters: ['Ana', 'example.com', 'four    spaces'] });
    expect(ok.messages[0]!.id).toMatch(/^wamid\./);
  });

  it('131047: a free-form send outside the window is accepted, then fails by a failed status webhook', async () => {
    const stranger = '15550002222';
    const res = await h.client().sendText(stranger, 'hello out of the blue');
    const wamid = res.messages[0]!.id;
    const [failed] = await h.receiver.until(() => {
      const s = failedStatuses(h, wamid);
      return s.length ? s : null;
    });
    expect(failed).toMatchObject({ status: 'failed', recipient_id: stranger, errors: [{ code: 131047, title: 'Re-engagement message' }] });
    expect(failed.errors[0].error_data.details).toMatch(/24 hours/);
    await expect.poll(async () => (await h.inbox(stranger)).find((m) => m.wamid === wamid)?.status).toBe('failed');
    expect(failedStatuses(h, wamid).map((s: { status: string }) => s.status)).toEqual(['failed']);
  });

  it('templates still go out when the window is closed, billed as regular', async () => {
    const stranger = '15550003333';
    const res = await h.client().sendTemplate(stranger, { name: 'connectdesk_reopen', language: 'en_US', parameters: ['Bo'] });
    const wamid = res.messages[0]!.id;
    const sent = await h.receiver.until(() => failedStatuses(h, wamid).find((s: { status: string }) => s.status === 'sent'));
    expect(sent.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' });
  });

  it('the window closes 24 hours after the customer last wrote (injected clock)', async () => {
    const customer = '15550004444';
    await h.phoneSends(customer, { type: 'text', text: { body: 'hi' } });
    t += 23 * 3600_000;
    const inside = await h.client().sendText(customer, 'still inside');
    await h.receiver.until(() => failedStatuses(h, inside.messages[0]!.id).find((s: { status: string }) => s.status === 'read'));
    t += 2 * 3600_000;
    const outside = await h.client().sendText(customer, 'too late');
    const failed = await h.receiver.until(() => failedStatuses(h, outside.messages[0]!.id)[0]);
    expect(failed).toMatchObject({ status: 'failed', errors: [{ code: 131047 }] });
  });
});

describe('GraphClient → sandbox: limits and allow list', () => {
  let h: SandboxHarness;
  let t = Date.UTC(2026, 5, 1);
  afterEach(() => h.close());

  it('131030 for recipients outside the development allow list', async () => {
    h = await startSandboxHarness({ allowedRecipients: ['+1 555 000 5555'] });
    const err = await fail(h.client().sendTemplate('15550006666', { name: 'hello_world', language: 'en_US' }));
    expect(err).toMatchObject({ httpStatus: 400, code: 131030, title: 'Recipient phone number not in allowed list', retryable: false });
    const ok = await h.client().sendTemplate('15550005555', { name: 'hello_world', language: 'en_US' });
    expect(ok.messages[0]!.id).toMatch(/^wamid\./);
    expect((await h.client().getPhoneNumber()).account_mode).toBe('SANDBOX');
  });

  it('130429 above the per-number throughput; the bucket refills with time', async () => {
    h = await startSandboxHarness({ now: () => t, messagesPerSecond: 3 });
    const client = h.client();
    const send = (to: string) => client.sendTemplate(to, { name: 'hello_world', language: 'en_US' });
    await Promise.all([send('15550000101'), send('15550000102'), send('15550000103')]);
    const err = await fail(send('15550000104'));
    expect(err).toMatchObject({ httpStatus: 400, code: 130429, retryable: true });
    expect(isRetryable(err)).toBe(true);
    t += 1000;
    expect((await send('15550000104')).messages).toHaveLength(1);
  });

  it('131056 for too many messages to one recipient; others are unaffected', async () => {
    h = await startSandboxHarness({ now: () => t, pairRate: { burst: 2, intervalMs: 6000 } });
    const client = h.client();
    const send = (to: string) => client.sendTemplate(to, { name: 'hello_world', language: 'en_US' });
    await send('15550000201');
    await send('15550000201');
    const err = await fail(send('15550000201'));
    expect(err).toMatchObject({ httpStatus: 400, code: 131056, type: 'OAuthException', retryable: true, title: 'Pair rate limit hit' });
    expect(err.message).toBe('(#131056) (Business Account, Consumer Account) pair rate limit hit');
    expect(err.details).toBe(
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    );
    expect(err.fbtraceId).toEqual(expect.any(String));
    const overview = await fetch(`${h.url}/sandbox/`).then((r) => r.json());
    expect(overview.refusals).toEqual({ '131056': 1 });
    expect((await send('15550000202')).messages).toHaveLength(1);
    t += 6000;
    expect((await send('15550000201')).messages).toHaveLength(1);
  });

  it('any bearer token works when the sandbox has none configured', async () => {
    h = await startSandboxHarness({ accessToken: null });
    const info = await h.client({ token: 'whatever-you-like' }).getPhoneNumber();
    expect(info.platform_type).toBe('CLOUD_API');
  });
});
