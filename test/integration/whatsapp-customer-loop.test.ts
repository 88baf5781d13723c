import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneInbox, phoneSend } from '../support/whatsapp.ts';

describe('WhatsApp customers: phone → inbox → agent reply → phone, with ticks', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('a customer message reaches the inbox live and the reply reaches the phone, sent → delivered → read', async () => {
    const cookie = await s.signIn();
    const agent = await s.adminSocket(cookie);
    const arrived = nextEvent(agent, 'message:new', (p: any) => p.message.text === 'Do you ship to Lisbon?');
    const sent = await phoneSend(s, '351912345678', { type: 'text', text: { body: 'Do you ship to Lisbon?' }, profile_name: 'Rita' });

    const live = await arrived;
    expect(live.message).toMatchObject({ direction: 'inbound', type: 'text', wamid: sent.wamid, status: 'received', sender: 'customer' });
    expect(live.conversation).toMatchObject({ channel: 'whatsapp', contact: { name: 'Rita', wa_id: '351912345678' }, window: { open: true } });
    expect(live.conversation.unread).toBe(1);

    const conversation = await conversationOf(s, '351912345678');
    const reply = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text: 'Yes, in 2 days.' } });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ direction: 'outbound', type: 'text', text: 'Yes, in 2 days.', status: 'queued' });

    const onPhone = await waitFor(async () => (await phoneInbox(s, '351912345678')).find((m) => m.text === 'Yes, in 2 days.'));
    expect(onPhone.type).toBe('text');
    const read = await waitFor(async () => {
      const m = (await messagesOf(s, conversation.id)).find((x) => x.id === reply.body.message.id);
      return m?.status === 'read' ? m : null;
    });
    expect(read.wamid).toBe(onPhone.wamid);
    expect(read.error).toBeNull();
    expect((await phoneInbox(s, '351912345678')).filter((m) => m.text === 'Yes, in 2 days.')).toHaveLength(1);
  });

  it('statuses are pushed live to agents as message:status', async () => {
    const cookie = await s.signIn();
    const agent = await s.adminSocket(cookie);
    await phoneSend(s, '351912345679', { type: 'text', text: { body: 'hello' } });
    const conversation = await conversationOf(s, '351912345679');
    const delivered = nextEvent(agent, 'message:status', (p: any) => p.status === 'delivered');
    const reply = await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text: 'Hi there' } });
    expect((await delivered).id).toBe(reply.body.message.id);
  });

  it('opening a conversation with unread messages marks them read on WhatsApp', async () => {
    const sent = await phoneSend(s, '351912345680', { type: 'text', text: { body: 'anyone?' } });
    const conversation = await conversationOf(s, '351912345680');
    const res = await s.admin(`/admin/api/conversations/${conversation.id}/read`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.conversation.unread).toBe(0);
    const phone = await waitFor(async () => {
      const r = await s.fetch('/sandbox/phones/351912345680');
      const p = (await r.json()) as { outbox: { wamid: string; read_by_business: boolean }[] };
      return p.outbox.find((m) => m.wamid === sent.wamid && m.read_by_business);
    });
    expect(phone.read_by_business).toBe(true);
  });

  it('a reply to a contact without a WhatsApp conversation is refused clearly', async () => {
    const res = await s.admin(`/admin/api/conversations/01ARZ3NDEKTSV4RRFFQ69G5FAV/messages`, { body: { message_type: 'text', text: 'x' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('WhatsApp statuses duplicated and out of order (SANDBOX_CHAOS)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ SANDBOX_CHAOS: 'true' });
  });
  afterAll(() => s.stop());

  it('end as read, never regressing, however Meta shuffles and repeats them', async () => {
    await phoneSend(s, '351912345690', { type: 'text', text: { body: 'chaos?' } });
    const conversation = await conversationOf(s, '351912345690');
    const cookie = await s.signIn();
    const agent = await s.adminSocket(cookie);
    const seen: string[] = [];
    agent.on('message:status', (p: any) => seen.push(p.status));
    const replies: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      replies.push((await s.admin(`/admin/api/conversations/${conversation.id}/messages`, { body: { message_type: 'text', text } })).body.message.id);
    }
    const final = await waitFor(async () => {
      const msgs = (await messagesOf(s, conversation.id)).filter((m) => replies.includes(m.id));
      return msgs.every((m) => m.status === 'read') ? msgs : null;
    });
    expect(final).toHaveLength(3);
    // Every status webhook (3 per message; their duplicates are the same bytes, stored once) applied...
    await waitFor(async () => {
      const c = (await s.admin('/admin/api/whatsapp/webhook-events?limit=1')).body.counts;
      return c.done >= 1 + 3 * 3 && !c.pending && !c.processing;
    });
    await waitFor(() => seen.filter((x) => x === 'read').length === 3);
    // ...yet each message was pushed as read once: duplicates and stragglers changed nothing.
    expect(seen.filter((x) => x === 'read')).toHaveLength(3);
    expect((await phoneInbox(s, '351912345690')).map((m) => m.text)).toEqual(['one', 'two', 'three']);
  });
});
