/**
 * Marketing opt-outs: a simulated phone stops marketing messages (the sandbox sends Meta's
 * `user_preferences` webhook), the contact records it, MARKETING templates are refused with 422
 * `marketing_opted_out` and nothing is queued; utility templates still go; `resume` restores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneInbox, phoneSend, postWebhook, storedWebhookWith } from '../support/whatsapp.ts';

const PHONE = '447700900881';

async function setPreference(s: TestServer, waId: string, value: string) {
  return s.fetch(`/sandbox/phones/${waId}/preferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value }) });
}

describe('marketing opt-outs (user_preferences)', () => {
  let s: TestServer;
  let conversation: any;
  const survey = { message_type: 'template', template: { name: 'connectdesk_survey', language: 'en_US', parameters: ['Ana'] } };

  beforeAll(async () => {
    s = await startTestServer();
    // The catalog's MARKETING template is pending in the sandbox: approve it in ConnectDesk's table.
    await waitFor(async () => (await s.admin('/admin/api/templates?name=connectdesk_survey')).body.data[0]);
    const t = { message_template_id: 1000000000000007, message_template_name: 'connectdesk_survey', message_template_language: 'en_US' };
    await postWebhook(s, {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: s.config.whatsapp.wabaId,
          time: 1751247548,
          changes: [{ field: 'message_template_status_update', value: { ...t, event: 'APPROVED', reason: 'NONE' } }],
        },
      ],
    });
    await waitFor(async () => (await s.admin('/admin/api/templates?name=connectdesk_survey')).body.data[0]?.status === 'APPROVED');
    await phoneSend(s, PHONE, { type: 'text', text: { body: 'hello' }, profile_name: 'Ana' });
    conversation = await conversationOf(s, PHONE);
  });
  afterAll(() => s.stop());

  it('stop is recorded on the contact, in Meta’s shape', async () => {
    expect(conversation.contact.marketing_opted_out_at).toBeNull();
    const res = await setPreference(s, PHONE, 'stop');
    expect(res.status).toBe(200);
    const raw = JSON.parse(await storedWebhookWith(s, 'User requested to stop marketing messages'));
    const change = raw.entry[0].changes[0];
    expect(change.field).toBe('user_preferences');
    expect(change.value.user_preferences[0]).toEqual({
      wa_id: PHONE,
      detail: 'User requested to stop marketing messages',
      category: 'marketing_messages',
      value: 'stop',
      timestamp: expect.any(Number),
    });
    const c = await waitFor(async () => {
      const again = await conversationOf(s, PHONE);
      return again.contact.marketing_opted_out_at ? again : null;
    });
    expect(new Date(c.contact.marketing_opted_out_at).getTime()).toBeGreaterThan(0);
  });

  it('refuses a MARKETING template with 422 marketing_opted_out and queues nothing; utility templates still go', async () => {
    const before = await messagesOf(s, conversation.id);
    const inboxBefore = (await phoneInbox(s, PHONE)).length;
    const refused = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: survey });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('marketing_opted_out');
    expect(refused.body.error.message).toMatch(/stopped marketing messages/);
    expect(await messagesOf(s, conversation.id)).toHaveLength(before.length);

    const utility = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, {
      body: { message_type: 'template', template: { name: 'hello_world', language: 'en_US' } },
    });
    expect(utility.status).toBe(201);
    await waitFor(async () => (await phoneInbox(s, PHONE)).length === inboxBefore + 1);
    expect((await phoneInbox(s, PHONE)).map((m) => m.template?.name)).not.toContain('connectdesk_survey');
  });

  it('resume restores marketing templates', async () => {
    expect((await setPreference(s, PHONE, 'resume')).status).toBe(200);
    await waitFor(async () => (await conversationOf(s, PHONE)).contact.marketing_opted_out_at === null);
    const sent = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: survey });
    expect(sent.status).toBe(201);
  });

  it('a username user’s opt-out is keyed by their user id', async () => {
    const bsuid = 'US.77001234500000000001';
    await phoneSend(s, bsuid, { type: 'text', text: { body: 'hi' } });
    expect((await setPreference(s, bsuid, 'stop')).status).toBe(200);
    const c = await waitFor(async () => {
      const list = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
      return (list.body.data as any[]).find((x) => x.contact.user_id === bsuid && x.contact.marketing_opted_out_at);
    });
    const refused = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: survey });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('marketing_opted_out');
  });

  it('the sandbox control refuses a value other than stop or resume', async () => {
    const res = await setPreference(s, PHONE, 'maybe');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/stop.*resume/);
  });
});
