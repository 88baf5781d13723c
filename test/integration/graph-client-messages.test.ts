/**
 * GraphClient against the sandbox over real HTTP: every message kind is accepted and lands in the
 * phone's inbox, statuses arrive as signed webhooks, and mark-as-read works like Meta's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { GraphApiError } from '../../server/src/whatsapp/graph-error.ts';

const statusesOf = (h: SandboxHarness, wamid: string) =>
  h.receiver.received.flatMap((w) => w.body?.entry?.[0]?.changes?.[0]?.value?.statuses ?? []).filter((s: { id: string }) => s.id === wamid);

describe('GraphClient → sandbox: sending', () => {
  let h: SandboxHarness;
  const customer = '4915112345678';

  beforeAll(async () => {
    h = await startSandboxHarness();
    const opened = await h.phoneSends(customer, { type: 'text', text: { body: 'Hello, I need help' }, profile_name: 'Ana' });
    expect(opened.status).toBe(200);
  });
  afterAll(() => h.close());

  it('sends text (with a reply context) and the phone receives it', async () => {
    const res = await h.client().sendText(customer, 'Hi Ana, how can we help?', { replyTo: 'wamid.ORIGINAL', previewUrl: false });
    expect(res.messaging_product).toBe('whatsapp');
    expect(res.contacts).toEqual([{ input: customer, wa_id: customer }]);
    const wamid = res.messages[0]!.id;
    expect(wamid).toMatch(/^wamid\./);
    const entry = (await h.inbox(customer)).find((m) => m.wamid === wamid);
    expect(entry).toMatchObject({ type: 'text', text: 'Hi Ana, how can we help?', context: { message_id: 'wamid.ORIGINAL' }, template: null });
  });

  it('normalises "+49 151..." to the wa_id and echoes the input', async () => {
    const res = await h.client().sendText('+49 151 12345678', 'formatted');
    expect(res.contacts).toEqual([{ input: '+49 151 12345678', wa_id: customer }]);
  });

  it('sends a template: accepted, and the inbox shows name, parameters and rendered text', async () => {
    const res = await h
      .client()
      .sendTemplate(customer, { name: 'connectdesk_new_message', language: 'en_US', parameters: ['Ana', 'example.com', 'Is it open?'] });
    expect(res.messages[0]!.message_status).toBe('accepted');
    const entry = (await h.inbox(customer)).find((m) => m.wamid === res.messages[0]!.id);
    expect(entry.template).toEqual({
      name: 'connectdesk_new_message',
      language: 'en_US',
      parameters: ['Ana', 'example.com', 'Is it open?'],
      text: 'New message from Ana on example.com: Is it open? — reply to this message to answer.',
    });
    expect(entry.text).toBe(entry.template.text);
  });

  it('renders header, footer and buttons of templates that have them', async () => {
    const hello = await h.client().sendTemplate(customer, { name: 'hello_world', language: 'en_US' });
    const reopen = await h.client().sendTemplate(customer, { name: 'connectdesk_reopen', language: 'en_US', parameters: ['Ana'] });
    const inbox = await h.inbox(customer);
    expect(inbox.find((m) => m.wamid === hello.messages[0]!.id).template).toMatchObject({
      header: 'Hello World',
      footer: 'WhatsApp Business Platform sample message',
      parameters: [],
    });
    expect(inbox.find((m) => m.wamid === reopen.messages[0]!.id).template).toMatchObject({
      text: "Hi Ana, we'd like to follow up on your previous conversation. Please reply to this message if you need further assistance. We're here to help!",
      buttons: ['Yes, I need help', 'Issue resolved'],
    });
  });

  it('sends every media kind by uploaded id or by link', async () => {
    const client = h.client();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const { id } = await client.uploadMedia(png, 'image/png', 'dot.png');
    const sends = [
      client.sendMedia(customer, 'image', { id, caption: 'the dot' }),
      client.sendMedia(customer, 'image', { link: 'https://example.com/a.jpg' }),
      client.sendMedia(customer, 'audio', { link: 'https://example.com/a.ogg' }),
      client.sendMedia(customer, 'video', { link: 'https://example.com/a.mp4', caption: 'clip' }),
      client.sendMedia(customer, 'document', { link: 'https://example.com/invoice.pdf', filename: 'invoice.pdf' }),
      client.sendMedia(customer, 'sticker', { link: 'https://example.com/s.webp' }),
    ];
    const results = await Promise.all(sends);
    const inbox = await h.inbox(customer);
    const byId = (r: (typeof results)[number]) => inbox.find((m) => m.wamid === r.messages[0]!.id);
    expect(results.map((r) => byId(r)?.type)).toEqual(['image', 'image', 'audio', 'video', 'document', 'sticker']);
    expect(byId(results[0]!)).toMatchObject({ text: 'the dot', message: { image: { id, caption: 'the dot' } } });
    expect(byId(results[4]!).text).toBe('invoice.pdf');
  });

  it('sends location, contacts, interactive buttons and lists, and reactions', async () => {
    const client = h.client();
    const location = await client.sendLocation(customer, { latitude: 52.52, longitude: 13.405, name: 'Office', address: 'Berlin' });
    const contacts = await client.sendContacts(customer, [
      { name: { formatted_name: 'Support Desk', first_name: 'Support' }, phones: [{ phone: '+15550100', type: 'WORK' }] },
    ]);
    const buttons = await client.sendInteractive(customer, {
      type: 'button',
      body: { text: 'Was this helpful?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
          { type: 'reply', reply: { id: 'no', title: 'No' } },
        ],
      },
    });
    const list = await client.sendInteractive(customer, {
      type: 'list',
      body: { text: 'Pick a topic' },
      action: { button: 'Topics', sections: [{ title: 'Help', rows: [{ id: 'billing', title: 'Billing' }] }] },
    });
    const reaction = await client.sendReaction(customer, 'wamid.SOMETHING', '👍');
    const inbox = await h.inbox(customer);
    const find = (r: { messages: { id: string }[] }) => inbox.find((m) => m.wamid === r.messages[0]!.id);
    expect(find(location)).toMatchObject({ type: 'location', text: 'Office — Berlin — 52.52,13.405' });
    expect(find(contacts)).toMatchObject({ type: 'contacts', text: 'Contact: Support Desk' });
    expect(find(buttons)).toMatchObject({ type: 'interactive', text: 'Was this helpful?' });
    expect(find(list)).toMatchObject({ type: 'interactive', text: 'Pick a topic' });
    expect(find(reaction)).toMatchObject({ type: 'reaction', text: '👍' });
  });

  it('refuses malformed interactive and contacts bodies with Meta error 100/131008', async () => {
    const client = h.client();
    const tooMany = await client.sendInteractive(customer, { type: 'button', body: { text: 'x' }, action: { buttons: [1, 2, 3, 4] } }).catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ code: 100, httpStatus: 400 });
    const noBody = await client.sendInteractive(customer, { type: 'button', action: { buttons: [1] } }).catch((e: unknown) => e);
    expect(noBody).toMatchObject({ code: 131008 });
    const unnamed = await client.sendContacts(customer, [{ phones: [] }]).catch((e: unknown) => e);
    expect(unnamed).toMatchObject({ code: 131008 });
    const badMedia = await client.sendMedia(customer, 'image', { id: '999999' }).catch((e: unknown) => e);
    expect(badMedia).toMatchObject({ code: 100 });
  });

  it('delivers sent → delivered → read status webhooks, signed, in the v24 shape', async () => {
    const res = await h.client().sendText(customer, 'track me');
    const wamid = res.messages[0]!.id;
    await h.receiver.until(() => statusesOf(h, wamid).some((s: { status: string }) => s.status === 'read'));
    const statuses = statusesOf(h, wamid);
    expect(statuses.map((s: { status: string }) => s.status)).toEqual(['sent', 'delivered', 'read']);
    for (const s of statuses) {
      expect(s).toMatchObject({ recipient_id: customer, recipient_user_id: expect.stringMatching(/^US\./), timestamp: expect.stringMatching(/^\d+$/) });
      expect(s.conversation).toBeUndefined();
    }
    expect(statuses[0].pricing).toEqual({ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' });
    expect(h.receiver.received.every((w) => w.signatureValid)).toBe(true);
    await expect.poll(async () => (await h.inbox(customer)).find((m) => m.wamid === wamid)?.status).toBe('read');
  });

  it('marks an inbound message as read (with typing indicator); unknown ids get error 100', async () => {
    const inbound = await h.phoneSends(customer, { type: 'text', text: { body: 'are you there?' } });
    await h.client().markRead(inbound.body.wamid, { typingIndicator: true });
    const phone = await (await fetch(`${h.url}/sandbox/phones/${customer}`)).json();
    expect(phone.outbox.find((m: { wamid: string }) => m.wamid === inbound.body.wamid).read_by_business).toBe(true);
    const err = await h
      .client()
      .markRead('wamid.NOPE')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphApiError);
    expect(err).toMatchObject({ code: 100, httpStatus: 400 });
  });
});
