/**
 * Races. Meta delivers webhooks more than once, concurrently and out of order. Beyond what
 * whatsapp-webhook-intake.test.ts checks one request at a time: a burst of 20 identical
 * deliveries racing each other is stored once and applied once, and a storm of shuffled,
 * repeated status deliveries racing each other never moves a message backwards — neither in the
 * database nor in what agents are shown live. And a new visitor whose first messages race from
 * two tabs (one issued token, nothing stored yet) gets every message stored, in one conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { conversationOf, customerText, messagesOf, messagesWebhook, phoneSend, postWebhook, wamid } from '../support/whatsapp.ts';

const RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 };

describe('reliability: duplicated, concurrent and reordered webhooks', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const eventTotal = async () => {
    const counts = (await s.admin('/admin/api/whatsapp/webhook-events?limit=1')).body.counts as Record<string, number>;
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };
  const settled = () =>
    waitFor(async () => {
      const c = (await s.admin('/admin/api/whatsapp/webhook-events?limit=1')).body.counts as Record<string, number>;
      return !c.pending && !c.processing;
    });

  it('20 concurrent identical deliveries: all answered 200, one stored event, one message', async () => {
    const waId = '447700950001';
    const id = wamid('burst');
    const raw = JSON.stringify(messagesWebhook(s, customerText(waId, 'sent twenty times at once', { id })));
    const before = await eventTotal();
    const answers = await Promise.all(Array.from({ length: 20 }, () => postWebhook(s, raw)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const flags = (await Promise.all(answers.map((r) => r.json()))) as { duplicate: boolean }[];
    expect(flags.filter((f) => !f.duplicate)).toHaveLength(1);
    await settled();
    expect(await eventTotal()).toBe(before + 1);
    const c = await conversationOf(s, waId);
    expect((await messagesOf(s, c.id)).filter((m) => m.wamid === id).map((m) => m.text)).toEqual(['sent twenty times at once']);
    expect(c.unread).toBe(1);
  });

  it('shuffled, repeated statuses racing each other never move a message backwards, in the database or live', async () => {
    const waId = '447700950002';
    await phoneSend(s, waId, { type: 'text', text: { body: 'hello' } });
    const c = await conversationOf(s, waId);
    const agent = await s.adminSocket(await s.signIn());
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'ticks under stress' } });
    expect(reply.status).toBe(201);
    const id = reply.body.message.id as string;
    const pushed: string[] = [];
    agent.on('message:status', (p: { id: string; status: string }) => {
      if (p.id === id) pushed.push(p.status);
    });
    const sent = await waitFor(async () => (await messagesOf(s, c.id)).find((m) => m.id === id && m.wamid));

    // Meta's worst case: each status several times, in no particular order, all at once — with
    // different timestamps, so every delivery is a distinct body and none is deduplicated away.
    const order = ['delivered', 'sent', 'read', 'delivered', 'sent', 'read', 'delivered', 'sent', 'delivered', 'read', 'sent', 'delivered'];
    const bodies = order.map((status, i) =>
      messagesWebhook(s, { statuses: [{ id: sent.wamid, status, timestamp: String(1_800_000_000 + i), recipient_id: waId }] }),
    );
    const answers = await Promise.all(bodies.map((b) => postWebhook(s, b)));
    expect(answers.map((r) => r.status)).toEqual(Array(order.length).fill(200));
    await settled();
    // Then the classic late arrivals, one by one: delivered → sent → read → delivered.
    for (const [i, status] of ['delivered', 'sent', 'read', 'delivered'].entries()) {
      const b = messagesWebhook(s, { statuses: [{ id: sent.wamid, status, timestamp: String(1_900_000_000 + i), recipient_id: waId }] });
      expect((await postWebhook(s, b)).status).toBe(200);
      await settled();
    }

    const after = (await messagesOf(s, c.id)).find((m) => m.id === id);
    expect(after.status).toBe('read');
    expect(pushed.length).toBeGreaterThan(0);
    for (let i = 1; i < pushed.length; i++) expect(RANK[pushed[i]!]!, `pushed ${pushed.join(' → ')}`).toBeGreaterThanOrEqual(RANK[pushed[i - 1]!]!);
    expect(pushed.at(-1)).toBe('read');
    const failed = await s.admin('/admin/api/whatsapp/webhook-events?status=failed&limit=200');
    expect(failed.body.data).toEqual([]);
  });
});

describe('reliability: a new visitor writing from two tabs at once', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('first messages and identify racing on one issued token are all stored, for one visitor', async () => {
    // A token the widget got on its first connection and shares with new tabs; nothing stored yet.
    const token = `tabs${randomBytes(18).toString('base64url')}`;
    const tabs: Socket[] = await Promise.all([0, 1, 2, 3].map(() => s.visitorSocket({ visitor_token: token })));
    const acks = await Promise.all(
      tabs.flatMap((tab, t) => [
        tab.emitWithAck('message:send', { text: `tab ${t} says hi`, client_id: `tab-${t}` }),
        tab.emitWithAck('identify', { name: `Tab ${t}` }),
      ]),
    );
    for (const a of acks) expect(a, JSON.stringify(a)).toMatchObject({ ok: true });
    const history = await fetch(`${s.url}/api/messages?visitor_token=${token}`).then((r) => r.json());
    expect(history.data.map((m: { text: string }) => m.text).sort()).toEqual(tabs.map((_, t) => `tab ${t} says hi`));
    const web = await s.admin('/admin/api/conversations?channel=web&limit=100');
    expect(web.body.data).toHaveLength(1);
  });
});
