/**
 * A WhatsApp number a visitor types is unverified until that number writes to the business with
 * the code the visitor was shown. Until then nothing goes to it — no billed template, no free-form
 * text — and the reply says why (`phone_unverified`). Every path that sends to a visitor's phone is
 * covered: continuing a web chat on WhatsApp (free-form in the window, the template outside it)
 * and retrying such a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../server/src/db/knex.ts';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { customerText, messagesWebhook, phoneInbox, phoneSend, postWebhook } from '../support/whatsapp.ts';

interface Visitor {
  visitor_token: string;
  conversation_id: string;
}

describe('visitor WhatsApp numbers are verified before anything is sent to them', () => {
  let s: TestServer;
  let db: Db;
  beforeAll(async () => {
    s = await startTestServer();
    db = createDb(s.config.database); // to count what was queued for a number (SQLite or PostgreSQL)
  });
  afterAll(async () => {
    await db?.destroy();
    await s?.stop();
  });

  async function visitorWrites(body: object, token?: string): Promise<Visitor> {
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.example.com' },
      body: JSON.stringify({ ...body, ...(token ? { visitor_token: token } : {}) }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Visitor;
  }

  async function history(v: Visitor): Promise<{ text: string; sender: string }[]> {
    return (await (await s.fetch(`/api/messages?visitor_token=${v.visitor_token}`)).json()).data;
  }

  /** The code the visitor was shown in their chat (the latest one). */
  async function codeShownTo(v: Visitor): Promise<string> {
    const prompts = (await history(v)).filter((m) => m.sender === 'system' && m.text.includes('send the code'));
    const m = /\b(CD-[A-Z0-9]{6})\b/.exec(prompts.at(-1)?.text ?? '');
    if (!m) throw new Error(`no verification code in the chat: ${JSON.stringify(prompts)}`);
    return m[1]!;
  }

  const reply = (v: Visitor, text: string) => s.admin(`/admin/api/conversations/${v.conversation_id}/messages`, { body: { message_type: 'text', text } });
  const sendsTo = async (waId: string) => Number((await db('outbox').where({ to_wa_id: waId }).count({ n: '*' }))[0]!.n);
  const contactOf = async (v: Visitor) => (await s.admin(`/admin/api/conversations/${v.conversation_id}`)).body.conversation.contact;

  it('refuses to send to a typed number — the reply stays in the web chat and says why', async () => {
    const v = await visitorWrites({ text: 'Call me back on WhatsApp', name: 'Fay', phone: '+44 7700 900123', whatsapp_consent: true });
    // The visitor is asked to prove it, with a link that fills in the code for the business number.
    const prompt = (await history(v)).find((m) => m.sender === 'system')!;
    expect(prompt.text).toMatch(
      /confirm that \+447700900123 is yours: send the code CD-[A-Z0-9]{6} from that WhatsApp number — https:\/\/wa\.me\/\d+\?text=CD-/,
    );
    expect((await contactOf(v)).phone_verified).toBe(false);

    const res = await reply(v, 'Your parcel left today.');
    expect(res.status).toBe(201);
    expect(res.body.message.text).toBe('Your parcel left today.');
    expect(res.body.continuation).toEqual({
      to: '+447700900123',
      status: 'refused',
      error: { code: 'phone_unverified', message: expect.stringContaining('+447700900123 is unverified') },
    });
    expect(await sendsTo('447700900123')).toBe(0);
    expect(await phoneInbox(s, '447700900123')).toEqual([]);
    // The reply did reach the web chat.
    expect((await history(v)).some((m) => m.text === 'Your parcel left today.')).toBe(true);
  });

  it('verifies the number when it sends the visitor’s code from WhatsApp; replies then continue there, free-form in the window', async () => {
    const v = await visitorWrites({ text: 'WhatsApp me please', name: 'Gus', phone: '+44 7700 900124', whatsapp_consent: true });
    const code = await codeShownTo(v);
    await phoneSend(s, '447700900124', { type: 'text', text: { body: `Hi! ${code}` } });
    await waitFor(async () => (await history(v)).some((m) => m.sender === 'system' && m.text.includes('+447700900124 is confirmed')), {
      message: 'the confirmation in the chat',
    });
    const contact = await contactOf(v);
    expect(contact.phone_verified).toBe(true);
    expect(contact.phone_verified_at).toMatch(/^\d{4}-/);

    const res = await reply(v, 'Sure, here we are.');
    expect(res.body.continuation).toEqual({ to: '+447700900124', status: 'queued' });
    const onPhone = await waitFor(async () => (await phoneInbox(s, '447700900124')).find((m) => m.text === 'Sure, here we are.'));
    expect(onPhone.type).toBe('text'); // a free service reply: the number just wrote
  });

  it('sends the billed template only to a verified number whose window has closed', async () => {
    const v = await visitorWrites({ text: 'Later on WhatsApp', name: 'Hana', phone: '+44 7700 900125', whatsapp_consent: true });
    const code = await codeShownTo(v);
    // The code arrived more than 24 hours ago: verified, but the window is closed.
    const old = messagesWebhook(s, customerText('447700900125', code, { at: Date.now() - 25 * 3600_000 }));
    expect((await postWebhook(s, old)).status).toBe(200);
    await waitFor(async () => (await contactOf(v)).phone_verified === true, { message: 'verified' });

    const res = await reply(v, 'Your order is ready.');
    expect(res.body.continuation.status).toBe('queued');
    const onPhone = await waitFor(async () => (await phoneInbox(s, '447700900125')).find((m) => m.type === 'template'));
    expect(onPhone.template).toMatchObject({ name: 'connectdesk_new_message', parameters: ['Admin', 'shop.example.com', 'Your order is ready.'] });
  });

  it('a code proves only the number it was issued for: sent from another number, or a plain message from the typed one, proves nothing', async () => {
    // Someone types a stranger's number, then sends the code from their own phone.
    const v = await visitorWrites({ text: 'Text me', name: 'Ivo', phone: '+44 7700 900126', whatsapp_consent: true });
    const code = await codeShownTo(v);
    await phoneSend(s, '447700900999', { type: 'text', text: { body: code } });
    // The stranger happens to write to the business too, without the code.
    await phoneSend(s, '447700900126', { type: 'text', text: { body: 'Hello, unrelated question' } });
    await waitFor(async () =>
      (await s.admin('/admin/api/conversations?channel=whatsapp&limit=100')).body.data.some((c: any) => c.contact.wa_id === '447700900126'),
    );
    expect((await contactOf(v)).phone_verified).toBe(false);
    const res = await reply(v, 'Did you get this?');
    expect(res.body.continuation.error.code).toBe('phone_unverified');
    expect((await phoneInbox(s, '447700900126')).filter((m) => m.text === 'Did you get this?' || m.type === 'template')).toEqual([]);
    expect(await phoneInbox(s, '447700900999')).toEqual([]);
  });

  it('a new number starts unverified again, with a new code', async () => {
    const v = await visitorWrites({ text: 'first number', phone: '+44 7700 900127', whatsapp_consent: true });
    const first = await codeShownTo(v);
    await phoneSend(s, '447700900127', { type: 'text', text: { body: first } });
    await waitFor(async () => (await contactOf(v)).phone_verified === true, { message: 'verified' });

    await visitorWrites({ text: 'use this one instead', phone: '+44 7700 900128', whatsapp_consent: true }, v.visitor_token);
    expect((await contactOf(v)).phone_verified).toBe(false);
    const second = await codeShownTo(v);
    expect(second).not.toBe(first);
    const res = await reply(v, 'Which number?');
    expect(res.body.continuation).toMatchObject({ to: '+447700900128', status: 'refused', error: { code: 'phone_unverified' } });
    expect(await sendsTo('447700900128')).toBe(0);
  });

  it('a failed WhatsApp continuation is retried only to the visitor’s current, verified number', async () => {
    const v = await visitorWrites({ text: 'retry me', phone: '+44 7700 900129', whatsapp_consent: true });
    const code = await codeShownTo(v);
    // Verified by a webhook the sandbox's own phone never sent: our window is open, the sandbox's
    // is not, so the free-form continuation fails (131047) — a failed message to retry.
    expect((await postWebhook(s, messagesWebhook(s, customerText('447700900129', code)))).status).toBe(200);
    await waitFor(async () => (await contactOf(v)).phone_verified === true, { message: 'verified' });
    const res = await reply(v, 'This one fails first.');
    expect(res.body.continuation.status).toBe('queued');
    const id = res.body.message.id;
    await waitFor(
      async () => (await s.admin(`/admin/api/conversations/${v.conversation_id}/messages`)).body.data.find((m: any) => m.id === id && m.status === 'failed'),
      {
        message: 'the continuation failed',
      },
    );
    expect(await sendsTo('447700900129')).toBe(1);
    // Retrying to the same verified number is fine (it fails again: the sandbox's window is still closed).
    expect((await s.admin(`/admin/api/messages/${id}/retry`, { method: 'POST' })).status).toBe(200);
    expect(await sendsTo('447700900129')).toBe(2);
    await waitFor(
      async () => (await s.admin(`/admin/api/conversations/${v.conversation_id}/messages`)).body.data.find((m: any) => m.id === id && m.status === 'failed'),
      {
        message: 'the retry failed too',
      },
    );

    // The visitor moves to a number nobody proved: the retry may not go anywhere.
    await visitorWrites({ text: 'new phone', phone: '+44 7700 900130', whatsapp_consent: true }, v.visitor_token);
    const retried = await s.admin(`/admin/api/messages/${id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(422);
    expect(retried.body.error.code).toBe('phone_unverified');
    expect(await sendsTo('447700900129')).toBe(2);
    expect(await sendsTo('447700900130')).toBe(0);
  });

  it('a widget visitor who leaves a number mid-chat is asked live, and the confirmation arrives live', async () => {
    const widget = await s.visitorSocket();
    const sent = await widget.emitWithAck('message:send', { text: 'hello from the widget', client_id: 'w1' });
    expect(sent.ok).toBe(true);
    const asked = nextEvent(widget, 'message:new', (p: any) => p.message.sender === 'system');
    expect(await widget.emitWithAck('identify', { phone: '+44 7700 900131', whatsapp_consent: true })).toMatchObject({ ok: true });
    const code = /\b(CD-[A-Z0-9]{6})\b/.exec((await asked).message.text)![1]!;
    const confirmed = nextEvent(widget, 'message:new', (p: any) => p.message.sender === 'system' && p.message.text.includes('is confirmed'));
    await phoneSend(s, '447700900131', { type: 'text', text: { body: code.toLowerCase() } });
    expect((await confirmed).message.conversation_id).toBe(sent.message.conversation_id);
  });
});
