/**
 * Number and user-id changes: a simulated phone changes its number or user id (the sandbox sends
 * Meta's `system` message); the contact is re-keyed, the thread says what changed, the customer's
 * next message lands in the same conversation and the reply goes to the new number or id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneInbox, phoneSend, postWebhook, storedWebhookWith } from '../support/whatsapp.ts';

async function changeIdentity(s: TestServer, waId: string, body: object) {
  return s.fetch(`/sandbox/phones/${waId}/identity`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('identity changes', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('user_changed_number re-keys the contact: one conversation, a line in the thread, replies to the new number', async () => {
    await phoneSend(s, '447700900501', { type: 'text', text: { body: 'before the change' }, profile_name: 'Bea' });
    const c = await conversationOf(s, '447700900501');
    const res = await changeIdentity(s, '447700900501', { new_wa_id: '447700900502' });
    expect(res.status).toBe(200);

    const raw = JSON.parse(await storedWebhookWith(s, 'user_changed_number'));
    const value = raw.entry[0].changes[0].value;
    expect(value).not.toHaveProperty('contacts');
    expect(value.messages[0]).toMatchObject({ from: '447700900501', type: 'system', system: { type: 'user_changed_number', wa_id: '447700900502' } });
    // A new number comes with a new user id; the previous one is reported beside it.
    const { user_id: newUserId, previous_user_id: previousUserId } = value.messages[0].system;
    expect(previousUserId).toBe(value.messages[0].from_user_id);
    expect(newUserId).toMatch(/^[A-Z]{2}\./);
    expect(newUserId).not.toBe(previousUserId);

    const line = await waitFor(async () => (await messagesOf(s, c.id)).find((m) => m.type === 'system'));
    expect(line.text).toBe('Bea changed their number from +447700900501 to +447700900502');
    const after = await conversationOf(s, '447700900502');
    expect(after.id).toBe(c.id);
    expect(after.contact.user_id).toBe(newUserId);
    expect(after.unread).toBe(1); // the line is not the customer writing

    await phoneSend(s, '447700900502', { type: 'text', text: { body: 'from my new number' } });
    await waitFor(async () => (await messagesOf(s, c.id)).find((m) => m.text === 'from my new number'));
    const list = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
    expect((list.body.data as any[]).filter((x) => x.contact.name === 'Bea')).toHaveLength(1);

    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'got it' } });
    expect(reply.status).toBe(201);
    await waitFor(async () => (await phoneInbox(s, '447700900502')).find((m) => m.text === 'got it'));
    expect((await phoneInbox(s, '447700900501')).find((m) => m.text === 'got it')).toBeUndefined();
  });

  it('a retried delivery of the change changes nothing more', async () => {
    const raw = await storedWebhookWith(s, 'user_changed_number');
    expect((await postWebhook(s, raw)).status).toBe(200);
    const c = await conversationOf(s, '447700900502');
    const lines = (await messagesOf(s, c.id)).filter((m) => m.type === 'system');
    expect(lines).toHaveLength(1);
  });

  it('user_changed_user_id re-keys a username user; replies go to the new id', async () => {
    const oldId = 'US.40000000000000000001';
    const newId = 'US.40000000000000000002';
    await phoneSend(s, oldId, { type: 'text', text: { body: 'username here' }, profile_name: 'Uma' });
    const byUser = (id: string) =>
      waitFor(async () => ((await s.admin('/admin/api/conversations?channel=whatsapp&limit=100')).body.data as any[]).find((x) => x.contact.user_id === id));
    const c = await byUser(oldId);
    expect((await changeIdentity(s, oldId, { new_user_id: newId })).status).toBe(200);
    const after = await byUser(newId);
    expect(after.id).toBe(c.id);
    const line = await waitFor(async () => (await messagesOf(s, c.id)).find((m) => m.type === 'system'));
    expect(line.text).toBe(`Uma changed their WhatsApp user id from ${oldId} to ${newId}`);
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'still here' } });
    expect(reply.status).toBe(201);
    await waitFor(async () => (await phoneInbox(s, newId)).find((m) => m.text === 'still here'));
  });

  it('a preference Meta reported for the new number before the change reached us is folded in: one contact, one conversation', async () => {
    await phoneSend(s, '447700900521', { type: 'text', text: { body: 'hello' }, profile_name: 'Cai' });
    const c = await conversationOf(s, '447700900521');
    // The two travel in different lanes (keyed by the old and the new number): the stop lands first.
    const stop = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: s.config.whatsapp.wabaId,
          changes: [
            {
              field: 'user_preferences',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550000000', phone_number_id: s.config.whatsapp.phoneNumberId },
                contacts: [{ wa_id: '447700900522', profile: { name: 'Cai' } }],
                user_preferences: [
                  {
                    wa_id: '447700900522',
                    detail: 'User requested to stop marketing messages',
                    category: 'marketing_messages',
                    value: 'stop',
                    timestamp: Math.floor(Date.now() / 1000),
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    expect((await postWebhook(s, stop)).status).toBe(200);
    await waitFor(async () => {
      const list = await s.admin('/admin/api/whatsapp/webhook-events?limit=200');
      return (list.body.counts.pending ?? 0) + (list.body.counts.processing ?? 0) === 0 || null;
    });
    expect((await changeIdentity(s, '447700900521', { new_wa_id: '447700900522' })).status).toBe(200);

    const line = await waitFor(async () => (await messagesOf(s, c.id)).find((m) => m.type === 'system'));
    expect(line.text).toBe('Cai changed their number from +447700900521 to +447700900522');
    const after = await conversationOf(s, '447700900522');
    expect(after.id).toBe(c.id);
    expect(after.contact.marketing_opted_out_at).toBeTruthy();
    const list = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
    expect((list.body.data as any[]).filter((x) => x.contact.name === 'Cai')).toHaveLength(1);
  });

  it('the sandbox control refuses bad changes and sends nothing', async () => {
    await phoneSend(s, '447700900601', { type: 'text', text: { body: 'x' } });
    for (const body of [{}, { new_wa_id: '447700900602', new_user_id: 'US.1' }, { new_wa_id: 'abc' }, { new_user_id: 'not-a-bsuid' }]) {
      const res = await changeIdentity(s, '447700900601', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await changeIdentity(s, '447700900699', { new_wa_id: '447700900698' })).status).toBe(404);
    expect((await changeIdentity(s, '447700900601', { new_wa_id: '447700900502' })).status).toBe(409);
    const c = await conversationOf(s, '447700900601');
    expect((await messagesOf(s, c.id)).filter((m) => m.type === 'system')).toHaveLength(0);
  });
});
