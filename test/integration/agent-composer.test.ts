/**
 * The agent's composer, over both channels: what an agent sends reaches a web visitor (socket and
 * history) and a WhatsApp customer (the sandbox's phone over HTTP), named by its author.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneSend } from '../support/whatsapp.ts';

interface Msg {
  id: string;
  text: string;
  sender: string;
  author_name: string | null;
}

describe('the agent composer', () => {
  let s: TestServer;
  let me: { id: string; name: string };
  beforeAll(async () => {
    s = await startTestServer();
    me = (await s.admin('/admin/api/me')).body.user;
  });
  afterAll(() => s.stop());

  async function webConversation(text: string) {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, name: 'Vera' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversation_id: string; visitor_token: string };
  }

  it("names the agent in every message's JSON: live, in the visitor's history and in the agents' thread", async () => {
    const { conversation_id: id, visitor_token } = await webConversation('Hello?');
    const visitor = await s.visitorSocket({ visitor_token });
    const live = nextEvent<{ message: Msg }>(visitor, 'message:new', (p) => p.message.sender === 'agent');
    const sent = await s.admin(`/admin/api/conversations/${id}/messages`, { body: { message_type: 'text', text: 'Hi Vera, Ana here' } });
    expect(sent.status).toBe(201);
    expect(sent.body.message.author_name).toBe(me.name);
    expect((await live).message.author_name).toBe(me.name);

    const history = (await (await s.fetch(`/api/messages?visitor_token=${visitor_token}`)).json()) as { data: Msg[] };
    expect(history.data.find((m) => m.sender === 'agent')?.author_name).toBe(me.name);
    const ack = (await visitor.emitWithAck('history', {})) as { ok: boolean; messages: Msg[] };
    expect(ack.messages.find((m) => m.sender === 'agent')?.author_name).toBe(me.name);
    const thread = (await s.admin(`/admin/api/conversations/${id}/messages`)).body.data as Msg[];
    expect(thread.find((m) => m.sender === 'agent')?.author_name).toBe(me.name);
    expect(thread.find((m) => m.sender === 'visitor')?.author_name).toBeNull();
  });

  it('names the agent in a WhatsApp thread too', async () => {
    const waId = '351910000101';
    await phoneSend(s, waId, { type: 'text', text: { body: 'Olá' }, profile_name: 'Rui' });
    const c = await conversationOf(s, waId);
    const sent = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'Bom dia' } });
    expect(sent.status).toBe(201);
    expect(sent.body.message.author_name).toBe(me.name);
    expect((await messagesOf(s, c.id)).find((m: Msg) => m.sender === 'agent')?.author_name).toBe(me.name);
  });
});
