/**
 * While an agent types in a WhatsApp conversation the customer sees WhatsApp's typing indicator:
 * the read receipt of their latest message with `typing_indicator`, at most once per 25 s, only
 * inside the 24-hour window. The sandbox's phone records it (`GET /sandbox/phones/:waId` →
 * `last_typing_at`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { createDb } from '../../server/src/db/knex.ts';
import { conversationOf, phoneSend, phoneSent } from '../support/whatsapp.ts';

interface PhoneView {
  last_typing_at: string | null;
  outbox: { wamid: string; read_by_business: boolean }[];
}

describe('the WhatsApp typing indicator', () => {
  let s: TestServer;
  let agent: Socket;
  let db: ReturnType<typeof createDb>;
  beforeAll(async () => {
    s = await startTestServer();
    db = createDb(s.config.database);
    agent = await s.adminSocket(await s.signIn());
  });
  afterAll(async () => {
    await db.destroy();
    await s.stop();
  });

  const phone = async (waId: string) => (await (await s.fetch(`/sandbox/phones/${waId}`)).json()) as PhoneView;
  const typing = (conversationId: string, on = true) => agent.emit('typing', { conversation_id: conversationId, on });

  /** The admin socket handles events in order: once a later event's effect shows, earlier ones were handled. */
  async function settled(): Promise<void> {
    const waId = `3519200${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
    await phoneSend(s, waId, { type: 'text', text: { body: 'marker' } });
    const c = await conversationOf(s, waId);
    typing(c.id);
    await waitFor(async () => (await phone(waId)).last_typing_at, { message: 'the marker conversation got its indicator' });
  }

  it('reports last_typing_at null for a phone that was never shown one', async () => {
    const view = await phone('351920000001');
    expect(view.last_typing_at).toBeNull();
    await phoneSend(s, '351920000001', { type: 'text', text: { body: 'hello' } });
    expect((await phone('351920000001')).last_typing_at).toBeNull();
  });

  it("is sent with the read receipt of the customer's latest message, once per 25 s window", async () => {
    const waId = '351920000002';
    await phoneSend(s, waId, { type: 'text', text: { body: 'first' }, profile_name: 'Rui' });
    const { wamid: latest } = await phoneSend(s, waId, { type: 'text', text: { body: 'second' } });
    const c = await conversationOf(s, waId);
    await waitFor(async () => (await s.admin(`/admin/api/conversations/${c.id}/messages`)).body.data.length === 2 || null);
    const before = Date.now();
    typing(c.id);
    const first = await waitFor(async () => (await phone(waId)).last_typing_at, { message: 'typing indicator recorded' });
    expect(Date.parse(first)).toBeGreaterThanOrEqual(before - 1000);
    const sent = await phoneSent(s, waId);
    expect(sent.find((m) => m.wamid === latest)?.read_by_business).toBe(true);

    // More keystrokes (and a stop and start) within the 25 s: nothing more is sent.
    typing(c.id, false);
    typing(c.id);
    typing(c.id);
    await settled();
    expect((await phone(waId)).last_typing_at).toBe(first);
  });

  it('is not sent outside the 24-hour window, nor for a typing stop', async () => {
    const waId = '351920000004';
    await phoneSend(s, waId, { type: 'text', text: { body: 'an old question' } });
    const c = await conversationOf(s, waId);
    // The customer last wrote 25 hours ago (as far as the server knows): the window is closed.
    await db('conversations')
      .where({ id: c.id })
      .update({ last_customer_message_at: Date.now() - 25 * 3600_000 });
    typing(c.id);

    const openWaId = '351920000003';
    await phoneSend(s, openWaId, { type: 'text', text: { body: 'hi' } });
    const open = await conversationOf(s, openWaId);
    typing(open.id, false);
    await settled();
    expect((await phone(waId)).last_typing_at).toBeNull();
    expect((await phone(openWaId)).last_typing_at).toBeNull();

    // The same conversation with its window open again: now it is sent.
    await db('conversations')
      .where({ id: c.id })
      .update({ last_customer_message_at: Date.now() - 3600_000 });
    typing(c.id);
    await waitFor(async () => (await phone(waId)).last_typing_at, { message: 'typing indicator once the window is open' });
  });

  it('never reaches a web visitor as a WhatsApp call, and a bad event is ignored', async () => {
    const res = await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'web hi' }) });
    const { conversation_id, visitor_token } = (await res.json()) as { conversation_id: string; visitor_token: string };
    const visitor = await s.visitorSocket({ visitor_token });
    const shown = new Promise<{ on: boolean }>((resolve) => visitor.once('typing', resolve));
    typing(conversation_id);
    expect(await shown).toEqual({ on: true });
    agent.emit('typing', { conversation_id: 42, on: 'yes' });
    agent.emit('typing', { conversation_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', on: true });
    await settled();
    expect(agent.connected).toBe(true);
  });
});
