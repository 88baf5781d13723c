/**
 * An agent shares a location (`message_type: "location"`): a web visitor gets it live and in
 * history, a WhatsApp customer as Meta's location message (the sandbox's phone over HTTP); a
 * customer's location shows readably in the agents' thread; bad coordinates or labels get a 400
 * and nothing is stored or sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, customerText, messagesOf, messagesWebhook, phoneInbox, phoneSend, postWebhook } from '../support/whatsapp.ts';

interface Msg {
  id: string;
  type: string;
  text: string;
  sender: string;
  direction: string;
  status: string;
  content: { location?: { latitude: number; longitude: number; name?: string; address?: string } } | null;
  author_name: string | null;
}

const LISBON = { latitude: 38.7223, longitude: -9.1393, name: 'ConnectDesk Lisbon', address: 'Rua Augusta 1, Lisboa' };

describe('agent location messages', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const send = (conversationId: string, body: object) => s.admin(`/admin/api/conversations/${conversationId}/messages`, { body });

  async function webConversation(text: string) {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, name: 'Vera' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversation_id: string; visitor_token: string };
  }

  it('reaches a web visitor live and in history, with its name, address and coordinates', async () => {
    const { conversation_id: id, visitor_token } = await webConversation('Where is your shop?');
    const visitor = await s.visitorSocket({ visitor_token });
    const live = nextEvent<{ message: Msg }>(visitor, 'message:new', (p) => p.message.type === 'location');
    const sent = await send(id, { message_type: 'location', location: LISBON });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({
      type: 'location',
      direction: 'outbound',
      sender: 'agent',
      status: 'sent',
      text: '📍 Location: ConnectDesk Lisbon, Rua Augusta 1, Lisboa (38.7223, -9.1393)',
      content: { location: LISBON },
    });
    expect((await live).message.content).toEqual({ location: LISBON });
    const history = ((await (await s.fetch(`/api/messages?visitor_token=${visitor_token}`)).json()) as { data: Msg[] }).data;
    expect(history.find((m) => m.type === 'location')?.content).toEqual({ location: LISBON });
  });

  it('keeps only the coordinates when name and address are left out or blank', async () => {
    const { conversation_id: id } = await webConversation('Pin please');
    const sent = await send(id, { message_type: 'location', location: { latitude: -33.8568, longitude: 151.2153, name: '  ', address: '' } });
    expect(sent.status).toBe(201);
    expect(sent.body.message.content).toEqual({ location: { latitude: -33.8568, longitude: 151.2153 } });
    expect(sent.body.message.text).toBe('📍 Location (-33.8568, 151.2153)');
  });

  it("goes to a WhatsApp customer as Meta's location message through the outbox", async () => {
    const waId = '351910000201';
    await phoneSend(s, waId, { type: 'text', text: { body: 'Where do I pick it up?' }, profile_name: 'Rui' });
    const c = await conversationOf(s, waId);
    const sent = await send(c.id, { message_type: 'location', location: LISBON });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ type: 'location', status: 'queued', content: { location: LISBON } });
    const received = await waitFor(async () => (await phoneInbox(s, waId)).find((e) => e.type === 'location'));
    expect(received).toMatchObject({ type: 'location', text: 'ConnectDesk Lisbon — Rua Augusta 1, Lisboa — 38.7223,-9.1393' });
    expect((received as unknown as { message: { location: unknown } }).message.location).toEqual(LISBON);
    const stored = await waitFor(async () => (await messagesOf(s, c.id)).find((m: Msg) => m.id === sent.body.message.id && m.status !== 'queued'));
    expect(stored.status).not.toBe('failed');
  });

  it("shows a customer's location readably in the agents' thread", async () => {
    const waId = '351910000202';
    await phoneSend(s, waId, {
      type: 'location',
      location: { latitude: 41.1579, longitude: -8.6291, name: 'Porto', address: 'Avenida dos Aliados' },
      profile_name: 'Inês',
    });
    const c = await conversationOf(s, waId);
    const inbound = (await messagesOf(s, c.id)).find((m: Msg) => m.type === 'location')!;
    expect(inbound).toMatchObject({ direction: 'inbound', text: '📍 Location: Porto, Avenida dos Aliados (41.1579, -8.6291)' });
    expect(inbound.content.location).toMatchObject({ latitude: 41.1579, longitude: -8.6291 });
  });

  it('refuses bad coordinates and labels with a clear 400, storing and sending nothing', async () => {
    const waId = '351910000203';
    await phoneSend(s, waId, { type: 'text', text: { body: 'hi' }, profile_name: 'Ana' });
    const c = await conversationOf(s, waId);
    const { conversation_id: webId } = await webConversation('hello');
    const long = 'x'.repeat(1001);
    const bad: [object, RegExp][] = [
      [{ latitude: 91, longitude: 0 }, /latitude must be between -90 and 90/],
      [{ latitude: -90.5, longitude: 0 }, /latitude/],
      [{ latitude: 0, longitude: 180.01 }, /longitude must be between -180 and 180/],
      [{ latitude: '38.7', longitude: -9.1 }, /latitude/],
      [{ latitude: null, longitude: -9.1 }, /latitude/],
      [{ longitude: -9.1 }, /latitude/],
      [{ latitude: 1, longitude: 2, name: long }, /name must be at most 1000 characters/],
      [{ latitude: 1, longitude: 2, address: long }, /address must be at most 1000 characters/],
      [{ latitude: 1, longitude: 2, name: 42 }, /name/],
    ];
    for (const id of [c.id, webId]) {
      const before = await messagesOf(s, id);
      for (const [location, message] of bad) {
        const res = await send(id, { message_type: 'location', location });
        expect(res.status, JSON.stringify(location)).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.message).toMatch(message);
      }
      const missing = await send(id, { message_type: 'location' });
      expect(missing.status).toBe(400);
      expect(await messagesOf(s, id)).toEqual(before);
    }
    // A body with infinite coordinates cannot even be JSON: refused before anything else.
    const raw = await s.fetch(`/admin/api/conversations/${c.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await s.signIn(), origin: s.url },
      body: '{"message_type":"location","location":{"latitude":Infinity,"longitude":0}}',
    });
    expect(raw.status).toBe(400);
    expect((await phoneInbox(s, waId)).filter((e) => e.type === 'location')).toEqual([]);
  });

  it('refuses a location to a WhatsApp customer outside the 24-hour window (window_closed), storing nothing', async () => {
    const waId = '447700902301';
    await postWebhook(s, messagesWebhook(s, customerText(waId, 'an old question', { at: Date.now() - 25 * 3600_000, name: 'Old Timer' })));
    const c = await conversationOf(s, waId);
    const before = await messagesOf(s, c.id);
    const res = await send(c.id, { message_type: 'location', location: LISBON });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('window_closed');
    expect(await messagesOf(s, c.id)).toEqual(before);
    expect(await phoneInbox(s, waId)).toEqual([]);
  });
});
