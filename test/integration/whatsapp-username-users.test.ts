/**
 * Username users (2026): a customer known only by their business-scoped user id. The sandbox's
 * username-only phone writes without `from`/`wa_id`; the product replies through `recipient`; the
 * sandbox's /messages takes `to` or `recipient` as Meta does (`to` wins when both are given).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { messagesOf, phoneInbox, phoneSend, storedWebhookWith } from '../support/whatsapp.ts';

const BSUID = 'US.13491208655302741918';

async function conversationOfUser(s: TestServer, userId: string): Promise<any> {
  return waitFor(async () => {
    const res = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
    return (res.body.data as any[]).find((c) => c.contact.user_id === userId);
  });
}

describe('username users: replies through recipient', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('a username-only phone writes with no phone number, and the agent’s reply reaches it by user id', async () => {
    await phoneSend(s, BSUID, { type: 'text', text: { body: 'hi, it is me, no number' }, profile_name: 'Kit' });
    const raw = JSON.parse(await storedWebhookWith(s, 'hi, it is me, no number'));
    const value = raw.entry[0].changes[0].value;
    expect(value.contacts[0]).toEqual({ profile: { name: 'Kit', username: expect.any(String) }, user_id: BSUID });
    expect(value.messages[0]).not.toHaveProperty('from');
    expect(value.messages[0].from_user_id).toBe(BSUID);

    const c = await conversationOfUser(s, BSUID);
    expect(c.contact).toMatchObject({ name: 'Kit', wa_id: null, user_id: BSUID });
    expect(c.window.open).toBe(true);

    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'Hello Kit' } });
    expect(reply.status).toBe(201);
    const onPhone = await waitFor(async () => (await phoneInbox(s, BSUID)).find((m) => m.text === 'Hello Kit'));
    const read = await waitFor(async () => {
      const m = (await messagesOf(s, c.id)).find((x) => x.id === reply.body.message.id);
      return m?.status === 'read' ? m : null;
    });
    expect(read.wamid).toBe(onPhone.wamid);
    // The statuses came back keyed by user id only (no recipient_id), and found the message.
    const status = JSON.parse(await storedWebhookWith(s, onPhone.wamid));
    const st = status.entry[0].changes[0].value.statuses[0];
    expect(st.recipient_user_id).toBe(BSUID);
    expect(st).not.toHaveProperty('recipient_id');
  });

  it('templates reach a username user too, and a contact with both ids still gets replies by number', async () => {
    await phoneSend(s, '447700900777', { type: 'text', text: { body: 'both ids' } });
    const both = await waitFor(async () => {
      const res = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
      return (res.body.data as any[]).find((c) => c.contact.wa_id === '447700900777');
    });
    expect(both.contact.user_id).toMatch(/^US\./);
    const r = await s.admin(`/admin/api/conversations/${both.id}/messages`, { body: { message_type: 'text', text: 'by number' } });
    expect(r.status).toBe(201);
    await waitFor(async () => (await phoneInbox(s, '447700900777')).find((m) => m.text === 'by number'));

    const c = await conversationOfUser(s, BSUID);
    const t = await s.admin(`/admin/api/conversations/${c.id}/messages`, {
      body: { message_type: 'template', template: { name: 'hello_world', language: 'en_US' } },
    });
    expect(t.status).toBe(201);
    await waitFor(async () => (await phoneInbox(s, BSUID)).find((m) => m.template?.name === 'hello_world'));
  });
});

describe('sandbox /messages: to, recipient, both, neither', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(() => h.close());

  const send = (body: Record<string, unknown>) =>
    fetch(`${h.graphUrl}/v25.0/100000000000001/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer harness-token' },
      body: JSON.stringify({ messaging_product: 'whatsapp', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } }, ...body }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('recipient alone reaches the username-only phone and answers with user_id', async () => {
    expect((await h.phoneSends('US.555000111222', { type: 'text', text: { body: 'hey' } })).status).toBe(200);
    const res = await send({ recipient: 'US.555000111222' });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toEqual([{ input: 'US.555000111222', user_id: 'US.555000111222' }]);
    expect((await h.inbox('US.555000111222')).map((m) => m.template?.name)).toEqual(['hello_world']);
  });

  it('recipient finds a phone that has a number by its user id', async () => {
    expect((await h.phoneSends('4915100009999', { type: 'text', text: { body: 'hey' } })).status).toBe(200);
    const userId = (await (await fetch(`${h.url}/sandbox/phones/4915100009999`)).json()).user_id as string;
    const res = await send({ recipient: userId });
    expect(res.status).toBe(200);
    expect((await h.inbox('4915100009999')).map((m) => m.template?.name)).toEqual(['hello_world']);
  });

  it('with both to and recipient, to takes precedence (Meta’s documented rule)', async () => {
    const res = await send({ to: '4915100008888', recipient: 'US.555000111222' });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toEqual([{ input: '4915100008888', wa_id: '4915100008888' }]);
    expect(await h.inbox('4915100008888')).toHaveLength(1);
    expect(await h.inbox('US.555000111222')).toHaveLength(1); // unchanged from the first test
  });

  it('refuses neither to nor recipient (100) and a recipient that is not a user id (131009), sending nothing', async () => {
    const before = (await (await fetch(`${h.url}/sandbox/`)).json()).received_by_phones;
    const neither = await send({});
    expect(neither.status).toBe(400);
    expect(neither.body.error.code).toBe(100);
    const bad = await send({ recipient: '4915100007777' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(131009);
    expect((await (await fetch(`${h.url}/sandbox/`)).json()).received_by_phones).toBe(before);
  });
});
