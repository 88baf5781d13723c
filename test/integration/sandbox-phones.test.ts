/**
 * Simulated phones: what they send becomes a signed webhook; what they receive is in their inbox;
 * bad input to the sandbox's own endpoints is refused with a clear 4xx and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';

describe('sandbox phones', () => {
  let h: SandboxHarness;
  const post = (waId: string, body: string, contentType = 'application/json') =>
    fetch(`${h.url}/sandbox/phones/${waId}/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });

  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(() => h.close());

  it('sends every inbound kind as a webhook message of that type', async () => {
    const waId = '4915100001000';
    const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex').toString('base64');
    const bodies: Record<string, unknown>[] = [
      { type: 'text', text: { body: 'hi' } },
      { type: 'image', image: { data_base64: jpeg, mime_type: 'image/jpeg' } },
      { type: 'audio', audio: { data_base64: Buffer.from('OggS').toString('base64'), mime_type: 'audio/ogg' } },
      { type: 'document', document: { data_base64: Buffer.from('%PDF').toString('base64'), mime_type: 'application/pdf', filename: 'a.pdf' } },
      { type: 'location', location: { latitude: 1.5, longitude: 2.5, name: 'Here' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Bo' } }] },
      { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } } },
      { type: 'button', button: { text: 'Issue resolved', payload: 'resolved' } },
      { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '❤️' } },
      { type: 'unsupported', unsupported: { type: 'poll_creation' } },
    ];
    for (const body of bodies) {
      const res = await h.phoneSends(waId, body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      const message = h.receiver.received.map((w) => w.body.entry[0].changes[0].value.messages[0]).find((m) => m.id === res.body.wamid);
      expect(message.type).toBe(body.type);
      expect(message[body.type as string]).toBeDefined();
    }
    const audio = h.receiver.received.map((w) => w.body.entry[0].changes[0].value.messages[0]).find((m) => m.type === 'audio');
    expect(audio.audio).toMatchObject({ mime_type: 'audio/ogg', voice: true, id: expect.stringMatching(/^\d+$/) });
  });

  it('lists phones with their window, and shows one phone with inbox and outbox', async () => {
    const waId = '4915100001001';
    await h.phoneSends(waId, { type: 'text', text: { body: 'hello' }, profile_name: 'Cleo' });
    await h.client().sendText(waId, 'hello Cleo');
    const list = await (await fetch(`${h.url}/sandbox/phones`)).json();
    expect(list.find((p: { wa_id: string }) => p.wa_id === waId)).toMatchObject({
      profile_name: 'Cleo',
      user_id: expect.stringMatching(/^US\./),
      window: { open: true, closes_at: expect.any(String) },
      received: 1,
      sent: 1,
    });
    const one = await (await fetch(`${h.url}/sandbox/phones/+${waId}`)).json();
    expect(one.inbox).toHaveLength(1);
    expect(one.outbox[0]).toMatchObject({ type: 'text', read_by_business: false });
    const overview = await (await fetch(`${h.url}/sandbox/`)).json();
    expect(overview).toMatchObject({ sandbox: true, phone_number_id: '100000000000001', webhook_url: h.receiver.url, templates: expect.any(Number) });
    expect(overview.phones).toBeGreaterThanOrEqual(1);
  });

  it('an unknown phone has an empty inbox, and looking at it does not create it', async () => {
    expect(await h.inbox('4915199999999')).toEqual([]);
    const one = await (await fetch(`${h.url}/sandbox/phones/4915199999999`)).json();
    expect(one).toMatchObject({ wa_id: '4915199999999', window: { open: false, closes_at: null }, inbox: [], outbox: [] });
    const list = await (await fetch(`${h.url}/sandbox/phones`)).json();
    expect(list.map((p: { wa_id: string }) => p.wa_id)).not.toContain('4915199999999');
  });

  it('refuses bad input with 400 and a clear message, and sends no webhook', async () => {
    const inboundDeliveries = () => h.receiver.received.filter((w) => w.body.entry[0].changes[0].value.messages).length;
    const before = inboundDeliveries();
    const cases: [string, string, RegExp][] = [
      ['not-a-number', JSON.stringify({ type: 'text', text: { body: 'x' } }), /WhatsApp id/],
      ['123', JSON.stringify({ type: 'text', text: { body: 'x' } }), /WhatsApp id/],
      ['4915100001002', '{"type":', /JSON/],
      ['4915100001002', '[1,2]', /object/],
      ['4915100001002', JSON.stringify({ type: 'hologram' }), /type must be one of/],
      ['4915100001002', JSON.stringify({ type: 'text' }), /needs a "text" object/],
      ['4915100001002', JSON.stringify({ type: 'text', text: { body: '' } }), /text\.body/],
      ['4915100001002', JSON.stringify({ type: 'text', text: { body: 'x' }, context: {} }), /context/],
      ['4915100001002', JSON.stringify({ type: 'image', image: { mime_type: 'image/png' } }), /data_base64/],
      ['4915100001002', JSON.stringify({ type: 'image', image: { data_base64: 'AAAA', mime_type: 'application/zip' } }), /mime_type/],
      ['4915100001002', JSON.stringify({ type: 'image', image: { data_base64: '!!not base64!!', mime_type: 'image/png' } }), /base64/],
      [
        '4915100001002',
        JSON.stringify({ type: 'sticker', sticker: { data_base64: Buffer.alloc(600 * 1024).toString('base64'), mime_type: 'image/webp' } }),
        /at most/,
      ],
      ['4915100001002', JSON.stringify({ type: 'contacts', contacts: {} }), /array/],
    ];
    for (const [waId, body, pattern] of cases) {
      const res = await post(waId, body);
      expect(res.status, `${waId} ${body.slice(0, 60)}`).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe('validation_failed');
      expect(json.error.message, body.slice(0, 60)).toMatch(pattern);
    }
    expect((await post('4915100001002', 'type=text', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect(inboundDeliveries()).toBe(before);
    expect(await h.inbox('4915100001002')).toEqual([]);
    const list = await (await fetch(`${h.url}/sandbox/phones`)).json();
    expect(list.find((p: { wa_id: string }) => p.wa_id === '4915100001002')).toBeUndefined();
  });

  it('unknown sandbox paths and methods are JSON errors', async () => {
    const missing = await fetch(`${h.url}/sandbox/nothing`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    const wrongMethod = await fetch(`${h.url}/sandbox/phones/4915100001000/inbox`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect((await wrongMethod.json()).error.code).toBe('method_not_allowed');
  });
});
