/**
 * The app's subscription to the business account's webhooks, as Meta models it: while the app is
 * unsubscribed (`DELETE /{waba-id}/subscribed_apps`, or the sandbox's own control) no webhook is
 * delivered — messages, statuses and account events are dropped, not held — and delivery resumes
 * for what happens after `POST /{waba-id}/subscribed_apps`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';

const waba = '200000000000001';
const auth = { authorization: 'Bearer harness-token' };

describe('sandbox webhook subscription', () => {
  let h: SandboxHarness;
  afterEach(() => h.close());

  const apps = async () => (await (await fetch(`${h.graphUrl}/v25.0/${waba}/subscribed_apps`, { headers: auth })).json()).data;
  const textsReceived = () =>
    h.receiver.received.flatMap((w) => w.body?.entry?.[0]?.changes?.[0]?.value?.messages ?? []).map((m: { text?: { body: string } }) => m.text?.body);

  it('drops every webhook while the app is unsubscribed through the Graph API, and delivers again once resubscribed', async () => {
    h = await startSandboxHarness();
    expect(await apps()).toHaveLength(1);
    const first = await h.phoneSends('4915100000101', { type: 'text', text: { body: 'before' } });
    expect(first.body.webhook).toMatchObject({ ok: true });

    const del = await fetch(`${h.graphUrl}/v25.0/${waba}/subscribed_apps`, { method: 'DELETE', headers: auth });
    expect(await del.json()).toEqual({ success: true });
    expect(await apps()).toEqual([]);

    const during = await h.phoneSends('4915100000101', { type: 'text', text: { body: 'while unsubscribed' } });
    expect(during.status).toBe(200);
    expect(during.body.webhook).toMatchObject({ ok: false, attempts: 0, dropped: true, error: expect.stringMatching(/not subscribed/) });
    const event = await fetch(`${h.url}/sandbox/account-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ field: 'account_alerts' }),
    });
    expect((await event.json()).webhook).toMatchObject({ dropped: true });

    const post = await fetch(`${h.graphUrl}/v25.0/${waba}/subscribed_apps`, { method: 'POST', headers: auth });
    expect(await post.json()).toEqual({ success: true });
    const after = await h.phoneSends('4915100000101', { type: 'text', text: { body: 'after' } });
    expect(after.body.webhook).toMatchObject({ ok: true });

    // What happened while unsubscribed never arrives, not even after resubscribing.
    expect(textsReceived()).toEqual(['before', 'after']);
    expect(h.receiver.received.some((w) => w.body?.entry?.[0]?.changes?.[0]?.field === 'account_alerts')).toBe(false);
  });

  it('the sandbox control does the same as the Graph call, and the overview shows it', async () => {
    h = await startSandboxHarness();
    expect(await (await fetch(`${h.url}/sandbox/subscribed-apps`, { method: 'DELETE' })).json()).toEqual({ subscribed: false });
    expect((await (await fetch(`${h.url}/sandbox/`)).json()).subscribed).toBe(false);
    expect(await apps()).toEqual([]);
    const during = await h.phoneSends('4915100000102', { type: 'text', text: { body: 'lost' } });
    expect(during.body.webhook).toMatchObject({ dropped: true });
    expect(await (await fetch(`${h.url}/sandbox/subscribed-apps`, { method: 'POST' })).json()).toEqual({ subscribed: true });
    expect(await apps()).toHaveLength(1);
    const after = await h.phoneSends('4915100000102', { type: 'text', text: { body: 'kept' } });
    expect(after.body.webhook).toMatchObject({ ok: true });
    expect(textsReceived()).toEqual(['kept']);
  });

  it('the Graph subscription needs the bearer token', async () => {
    h = await startSandboxHarness();
    const res = await fetch(`${h.graphUrl}/v25.0/${waba}/subscribed_apps`, { method: 'DELETE' });
    expect(res.status).toBe(401);
    expect(await apps()).toHaveLength(1);
  });
});
