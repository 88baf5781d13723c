/**
 * Groups (Groups API): members' messages carry `group_id` and are filed into the group's own
 * conversation (marked as a group, each message with its author), without opening the member's
 * one-to-one window; replies go to the group (`recipient_type: "group"`, the group id in `to`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { messagesOf, storedWebhookWith } from '../support/whatsapp.ts';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('WhatsApp groups', () => {
  let s: TestServer;
  let groupId: string;
  beforeAll(async () => {
    s = await startTestServer();
    const res = await s.fetch('/sandbox/groups', json({ subject: 'Book club', participants: ['447700900301', 'US.30000000000000000001'] }));
    expect(res.status).toBe(201);
    groupId = (await res.json()).group_id;
  });
  afterAll(() => s.stop());

  const groupConversation = () =>
    waitFor(async () => ((await s.admin('/admin/api/conversations?channel=whatsapp&limit=100')).body.data as any[]).find((c) => c.group?.id === groupId));

  it('a member’s message lands in the group’s conversation, with its author, and opens no one-to-one window', async () => {
    const res = await s.fetch(
      `/sandbox/groups/${groupId}/messages`,
      json({ from: '447700900301', type: 'text', text: { body: 'Chapter 3 tonight?' }, profile_name: 'Gil' }),
    );
    expect(res.status).toBe(200);
    const raw = JSON.parse(await storedWebhookWith(s, 'Chapter 3 tonight?'));
    expect(raw.entry[0].changes[0].value.messages[0]).toMatchObject({ from: '447700900301', group_id: groupId, type: 'text' });

    const c = await groupConversation();
    expect(c.group).toEqual({ id: groupId });
    expect(c.contact.wa_id).toBeNull();
    await s.fetch(`/sandbox/groups/${groupId}/messages`, json({ from: 'US.30000000000000000001', type: 'text', text: { body: 'Yes!' }, profile_name: 'Ivo' }));
    const msgs = await waitFor(async () => {
      const all = await messagesOf(s, c.id);
      return all.length === 2 ? all : null;
    });
    expect(msgs.map((m) => [m.author_name, m.text])).toEqual([
      ['Gil', 'Chapter 3 tonight?'],
      ['Ivo', 'Yes!'],
    ]);
    const list = (await s.admin('/admin/api/conversations?channel=whatsapp&limit=100')).body.data as any[];
    expect(list.find((x) => x.contact.wa_id === '447700900301')).toBeUndefined();
    expect(list.find((x) => x.contact.user_id === 'US.30000000000000000001')).toBeUndefined();
  });

  it('a reply goes to the group, and its statuses come back', async () => {
    const c = await groupConversation();
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'See you at 8' } });
    expect(reply.status).toBe(201);
    const onGroup = await waitFor(async () =>
      ((await (await s.fetch(`/sandbox/groups/${groupId}`)).json()).inbox as any[]).find((m) => m.text === 'See you at 8'),
    );
    const delivered = await waitFor(async () => {
      const m = (await messagesOf(s, c.id)).find((x) => x.id === reply.body.message.id);
      return m && ['delivered', 'read'].includes(m.status) ? m : null;
    });
    expect(delivered.wamid).toBe(onGroup.wamid);
    // Nothing went to the members one-to-one.
    expect(await (await s.fetch('/sandbox/phones/447700900301/inbox')).json()).toEqual([]);
  });

  it('the group controls refuse an unknown group, a non-member and an empty group', async () => {
    expect((await s.fetch('/sandbox/groups/nope/messages', json({ from: '447700900301', type: 'text', text: { body: 'x' } }))).status).toBe(404);
    expect((await s.fetch(`/sandbox/groups/${groupId}/messages`, json({ from: '447700900399', type: 'text', text: { body: 'x' } }))).status).toBe(400);
    expect((await s.fetch('/sandbox/groups', json({ subject: 'Empty', participants: [] }))).status).toBe(400);
    expect((await s.fetch('/sandbox/groups', json({ subject: '', participants: ['447700900301'] }))).status).toBe(400);
  });
});

describe('sandbox /messages to a group', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(() => h.close());

  const send = (body: Record<string, unknown>) =>
    fetch(`${h.graphUrl}/v25.0/100000000000001/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer harness-token' },
      body: JSON.stringify({ messaging_product: 'whatsapp', type: 'text', text: { body: 'hi group' }, ...body }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('refuses an unknown group id (131009) and a group send without to (131008)', async () => {
    const unknown = await send({ recipient_type: 'group', to: 'Y2FwaV9ncm91cDpub3BlOm5vcGU' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe(131009);
    const noTo = await send({ recipient_type: 'group' });
    expect(noTo.status).toBe(400);
    expect(noTo.body.error.code).toBe(131008);
  });

  it('accepts a send to a known group and answers with the group id as input', async () => {
    const created = await fetch(`${h.url}/sandbox/groups`, json({ subject: 'Team', participants: ['4915100001111'] }));
    const { group_id } = (await created.json()) as { group_id: string };
    const res = await send({ recipient_type: 'group', to: group_id });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toEqual([{ input: group_id }]);
  });
});
