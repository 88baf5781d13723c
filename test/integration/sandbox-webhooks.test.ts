/**
 * Webhook delivery like Meta's: signed over the exact raw bytes (non-ASCII escaped), retried with
 * backoff until the receiver answers 200 (bounded), held until a URL is known, and — with chaos —
 * statuses duplicated and out of order.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';

const statuses = (h: SandboxHarness, wamid: string): string[] =>
  h.receiver.received
    .filter((w) => w.status === 200)
    .flatMap((w) => w.body?.entry?.[0]?.changes?.[0]?.value?.statuses ?? [])
    .filter((s: { id: string }) => s.id === wamid)
    .map((s: { status: string }) => s.status);

describe('sandbox webhooks', () => {
  let h: SandboxHarness;
  afterEach(() => h.close());

  it('signs the exact raw bytes; non-ASCII and slashes are escaped like Meta', async () => {
    h = await startSandboxHarness();
    const sent = await h.phoneSends('4915100000002', { type: 'text', text: { body: 'Grüße 👋 see https://x.y/z' }, profile_name: 'Zoë' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ wamid: expect.stringMatching(/^wamid\./), user_id: expect.stringMatching(/^US\./), webhook: { ok: true, attempts: 1 } });
    const w = h.receiver.received[0]!;
    expect(w.signatureValid).toBe(true);
    expect(w.signature).toBe(`sha256=${createHmac('sha256', 'harness-app-secret').update(w.raw).digest('hex')}`);
    expect(w.raw).toContain('Gr\\u00fc\\u00dfe \\ud83d\\udc4b see https:\\/\\/x.y\\/z');
    expect(w.raw).toContain('Zo\\u00eb');
    const value = w.body.entry[0].changes[0].value;
    expect(value.metadata.phone_number_id).toBe('100000000000001');
    expect(value.contacts[0]).toEqual({ profile: { name: 'Zoë' }, wa_id: '4915100000002', user_id: sent.body.user_id });
    expect(value.messages[0]).toMatchObject({
      from: '4915100000002',
      from_user_id: sent.body.user_id,
      id: sent.body.wamid,
      type: 'text',
      text: { body: 'Grüße 👋 see https://x.y/z' },
    });
  });

  it('a reply from the phone carries context.id (the quoted wamid) and context.from (the business)', async () => {
    h = await startSandboxHarness();
    const sent = await h.phoneSends('4915100000003', { type: 'text', text: { body: 'yes' }, context: { id: 'wamid.NOTIFICATION' } });
    const message = h.receiver.received.map((w) => w.body.entry[0].changes[0].value.messages[0]).find((m) => m.id === sent.body.wamid);
    expect(message.context).toEqual({ id: 'wamid.NOTIFICATION', from: '15550000001' });
  });

  it('retries with backoff while the receiver answers 500, until it answers 200', async () => {
    h = await startSandboxHarness({ webhookRetry: { attempts: 5, baseDelayMs: 10 } });
    h.receiver.respondWith((_w, i) => (i < 2 ? 500 : 200));
    const sent = await h.phoneSends('4915100000004', { type: 'text', text: { body: 'retry me' } });
    expect(sent.body.webhook).toMatchObject({ ok: false, attempts: 1, status: 500 });
    await h.receiver.until((all) => all.some((w) => w.status === 200));
    expect(h.receiver.received.map((w) => w.status)).toEqual([500, 500, 200]);
    expect(new Set(h.receiver.received.map((w) => w.raw)).size).toBe(1);
  });

  it('gives up after the configured number of attempts', async () => {
    h = await startSandboxHarness({ webhookRetry: { attempts: 3, baseDelayMs: 2 } });
    h.receiver.respondWith(503);
    await h.phoneSends('4915100000005', { type: 'text', text: { body: 'never accepted' } });
    await h.receiver.until((all) => all.length === 3);
    const firstRaw = h.receiver.received[0]!.raw;
    // A later send's whole status chain outlasts the next backoff (8 ms): a 4th attempt would show.
    h.receiver.respondWith(200);
    const res = await h.client().sendText('4915100000005', 'accepted');
    await h.receiver.until(() => statuses(h, res.messages[0]!.id).includes('read'));
    expect(h.receiver.received.filter((w) => w.raw === firstRaw)).toHaveLength(3);
  });

  it('holds deliveries until a webhook URL is set, then delivers them', async () => {
    h = await startSandboxHarness({ withWebhookUrl: false });
    const sent = await h.phoneSends('4915100000006', { type: 'text', text: { body: 'early bird' } });
    expect(sent.body.webhook).toMatchObject({ ok: false, queued: true, attempts: 0 });
    expect(h.receiver.received).toHaveLength(0);
    h.sandbox.setWebhookUrl(h.receiver.url);
    const delivered = await h.receiver.until((all) => all.find((w) => w.body.entry[0].changes[0].value.messages?.[0]?.id === sent.body.wamid));
    expect(delivered.signatureValid).toBe(true);
  });

  it('without chaos, statuses arrive once each and in order', async () => {
    h = await startSandboxHarness();
    await h.phoneSends('4915100000007', { type: 'text', text: { body: 'hi' } });
    const res = await h.client().sendText('4915100000007', 'ordered');
    const wamid = res.messages[0]!.id;
    await h.receiver.until(() => statuses(h, wamid).length === 3);
    expect(statuses(h, wamid)).toEqual(['sent', 'delivered', 'read']);
  });

  it('with chaos, every status arrives twice and not in order', async () => {
    h = await startSandboxHarness({ chaos: true });
    await h.phoneSends('4915100000008', { type: 'text', text: { body: 'hi' } });
    for (let i = 0; i < 3; i++) {
      const res = await h.client().sendText('4915100000008', `chaos ${i}`);
      const wamid = res.messages[0]!.id;
      await h.receiver.until(() => statuses(h, wamid).length === 6);
      const got = statuses(h, wamid);
      expect([...got].sort()).toEqual(['delivered', 'delivered', 'read', 'read', 'sent', 'sent']);
      const rank = (st: string) => ['sent', 'delivered', 'read'].indexOf(st);
      expect(
        got.some((st, j) => j > 0 && rank(st) < rank(got[j - 1]!)),
        got.join(','),
      ).toBe(true);
      // The phone's own view only moves forward.
      expect((await h.inbox('4915100000008')).find((m) => m.wamid === wamid).status).toBe('read');
    }
    expect(h.receiver.received.every((w) => w.signatureValid)).toBe(true);
  });

  it('stop() cancels pending retries and status timers', async () => {
    h = await startSandboxHarness({ webhookRetry: { attempts: 10, baseDelayMs: 50 }, statusDelaysMs: { sent: 10_000 } });
    h.receiver.respondWith(500);
    await h.phoneSends('4915100000009', { type: 'text', text: { body: 'hi' } });
    await h.client().sendText('4915100000009', 'never reported');
    await h.sandbox.stop();
    const count = h.receiver.received.length;
    const late = await h.phoneSends('4915100000009', { type: 'text', text: { body: 'after stop' } });
    expect(late.body.webhook).toMatchObject({ ok: false, error: 'sandbox stopped' });
    expect(h.receiver.received.length).toBe(count);
  });
});
