/**
 * The owner's WhatsApp as a console (DESIGN flows 1–2), against the sandbox's simulated phones:
 * visitor messages forwarded to the owner's phone, the owner's swipe-replies routed back to the
 * right visitor's widget, plain replies to the latest visitor, acknowledged with blue ticks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { phoneInbox, phoneSend, phoneSent, postWebhook, storedWebhookWith, type InboxEntry } from '../support/whatsapp.ts';

const OWNER = '15550100001';

async function visitorWrites(s: TestServer, body: object): Promise<{ visitor_token: string; conversation_id: string; message_id: string }> {
  const res = await s.fetch('/api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://shop.example.com' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { visitor_token: string; conversation_id: string; message_id: string };
}

async function ownerReceives(s: TestServer, match: (m: InboxEntry) => boolean): Promise<InboxEntry> {
  return waitFor(async () => (await phoneInbox(s, OWNER)).find(match), { message: 'owner phone message' });
}

describe('the owner’s WhatsApp as a console', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('forwards a visitor message with the connectdesk_new_message template while the owner’s window is closed', async () => {
    const v = await visitorWrites(s, { text: 'Do you have this in blue?\nSize M please.', name: 'Ana' });
    const forward = await ownerReceives(s, (m) => m.type === 'template' && m.template?.parameters[2]?.includes('in blue') === true);
    expect(forward.template).toMatchObject({
      name: 'connectdesk_new_message',
      language: 'en_US',
      // One line per parameter: WhatsApp refuses new lines in template parameters.
      parameters: ['Ana', 'shop.example.com', 'Do you have this in blue? Size M please.'],
    });
    expect(forward.template!.text).toBe(
      'New message from Ana on shop.example.com: Do you have this in blue? Size M please. — reply to this message to answer.',
    );
    expect(v.conversation_id).toBeTruthy();
  });

  it('routes the owner’s swipe-reply to that visitor’s widget, live, without a customer conversation', async () => {
    const v = await visitorWrites(s, { text: 'Is the shop open on Sunday?', name: 'Bruno' });
    const forward = await ownerReceives(s, (m) => m.template?.parameters[2] === 'Is the shop open on Sunday?');
    const widget = await s.visitorSocket({ visitor_token: v.visitor_token });
    const cookie = await s.signIn();
    const agent = await s.adminSocket(cookie);
    const toWidget = nextEvent(widget, 'message:new', (p: any) => p.message.sender === 'owner');
    const toAgents = nextEvent(agent, 'message:new', (p: any) => p.message.sender === 'owner');

    await phoneSend(s, OWNER, { type: 'text', text: { body: 'Yes, 10:00 to 16:00.' }, context: { id: forward.wamid } });

    const { message } = await toWidget;
    expect(message).toMatchObject({ text: 'Yes, 10:00 to 16:00.', direction: 'outbound', sender: 'owner', conversation_id: v.conversation_id });
    expect(message.context).toMatchObject({ message_id: v.message_id });
    expect((await toAgents).conversation.id).toBe(v.conversation_id);
    const history = await (await s.fetch(`/api/messages?visitor_token=${v.visitor_token}`)).json();
    expect(history.data.map((m: any) => m.text)).toEqual(['Is the shop open on Sunday?', 'Yes, 10:00 to 16:00.']);
    const list = await s.admin('/admin/api/conversations?limit=100');
    expect(list.body.data.some((c: any) => c.contact.wa_id === OWNER)).toBe(false);
  });

  it('forwards free-form once the owner has written, and a swipe-reply picks the right visitor', async () => {
    const carla = await visitorWrites(s, { text: 'Carla here: where is my order?', name: 'Carla' });
    const dan = await visitorWrites(s, { text: 'Dan here: can I return shoes?', name: 'Dan' });
    // The owner wrote above, so their 24-hour window is open: plain text forwards now.
    const toCarla = await ownerReceives(s, (m) => m.type === 'text' && m.text?.includes('Carla here') === true);
    expect(toCarla.text).toBe('New message from Carla on shop.example.com: Carla here: where is my order? — reply to this message to answer.');
    await ownerReceives(s, (m) => m.text?.includes('Dan here') === true);

    await phoneSend(s, OWNER, { type: 'text', text: { body: 'It ships tomorrow, Carla.' }, context: { id: toCarla.wamid } });
    const carlaHistory = await waitFor(async () => {
      const h = await (await s.fetch(`/api/messages?visitor_token=${carla.visitor_token}`)).json();
      return h.data.length === 2 ? h.data : null;
    });
    expect(carlaHistory[1]).toMatchObject({ text: 'It ships tomorrow, Carla.', sender: 'owner' });
    const danHistory = await (await s.fetch(`/api/messages?visitor_token=${dan.visitor_token}`)).json();
    expect(danHistory.data.map((m: any) => m.text)).toEqual(['Dan here: can I return shoes?']);
  });

  it('sends a plain reply to the visitor the owner last heard from, acknowledged with the read receipt rather than a message', async () => {
    const erin = await visitorWrites(s, { text: 'Erin: do you gift wrap?', name: 'Erin' });
    await ownerReceives(s, (m) => m.text?.includes('Erin: do you gift wrap?') === true);
    const received = (await phoneInbox(s, OWNER)).length;
    const sent = await phoneSend(s, OWNER, { type: 'text', text: { body: 'We do, for free.' } });
    const history = await waitFor(async () => {
      const h = await (await s.fetch(`/api/messages?visitor_token=${erin.visitor_token}`)).json();
      return h.data.length === 2 ? h.data : null;
    });
    expect(history[1]).toMatchObject({ text: 'We do, for free.', sender: 'owner' });
    // Blue ticks on the owner's message: passed on. No text message spent on saying so.
    await waitFor(async () => (await phoneSent(s, OWNER)).find((m) => m.wamid === sent.wamid)?.read_by_business, { message: 'the read receipt' });
    expect((await phoneInbox(s, OWNER)).length).toBe(received);
    // Meta delivering the same owner message again (in a different envelope) is not routed or confirmed twice.
    const raw = await storedWebhookWith(s, sent.wamid);
    const again = JSON.parse(raw);
    again.entry[0].time = 1;
    expect((await postWebhook(s, again)).status).toBe(200);
    await waitFor(async () => {
      const c = (await s.admin('/admin/api/whatsapp/webhook-events?limit=1')).body.counts;
      return !c.pending && !c.processing;
    });
    const h = await (await s.fetch(`/api/messages?visitor_token=${erin.visitor_token}`)).json();
    expect(h.data).toHaveLength(2);
    expect((await phoneInbox(s, OWNER)).length).toBe(received);
  });
});
