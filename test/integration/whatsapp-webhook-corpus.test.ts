/**
 * Replays the whole public corpus of real-shaped webhook payloads (pywa's, MIT) against the real
 * server, signed, and checks what is stored for every kind of update.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { corpus, customerText, messagesWebhook, postWebhook } from '../support/whatsapp.ts';

/** What each message fixture must become: Cloud API type and readable text. */
const EXPECTED: Record<string, { type: string; text: string }> = {
  'message.json:text': { type: 'text', text: 'Body Text' },
  'message.json:image': { type: 'image', text: '📷 Image' },
  'message.json:media_with_url': { type: 'image', text: '📷 Image' },
  'message.json:video': { type: 'video', text: '🎥 Video: caption' },
  'message.json:document': { type: 'document', text: '📄 Document: filename.pdf — caption' },
  'message.json:audio': { type: 'audio', text: '🎵 Audio' },
  'message.json:voice': { type: 'audio', text: '🎤 Voice message' },
  'message.json:static_sticker': { type: 'sticker', text: 'Sticker' },
  'message.json:animated_sticker': { type: 'sticker', text: 'Animated sticker' },
  'message.json:current_location': { type: 'location', text: '📍 Location (12.25089, 43.90539)' },
  'message.json:chosen_location': { type: 'location', text: '📍 Location: Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025 (37.4611978, -122.2164385)' },
  'message.json:contacts': { type: 'contacts', text: 'Contact cards: Chandler Bing +1 555-555-5555, Monica +1 666-666-6666, Rachel Green +1 777-777-7777' },
  'message.json:order': { type: 'order', text: '🛒 Order: 3 × HAMBURGER, 2 × FRENCH_FRIES, 2 × SODA (total 180 ILS)' },
  'message.json:unsupported': { type: 'unsupported', text: 'Unsupported message: Message type is currently not supported.' },
  'message.json:unsupported_with_type': { type: 'unsupported', text: 'Unsupported message (pool): Message type is currently not supported.' },
  'message.json:reply': { type: 'text', text: 'replied text' },
  'message.json:forwarded': { type: 'text', text: 'forwarded text' },
  'message.json:forwarded_many_times': { type: 'text', text: 'text forwarded many times' },
  'message.json:interactive_message_with_err': { type: 'interactive', text: 'Interactive reply (could not be read)' },
  'message.json:referral': { type: 'text', text: 'BODY\n↪ From the ad “AD_TITLE”' },
  'callback_button.json:button': { type: 'interactive', text: 'title' },
  'callback_button.json:quick_reply': { type: 'button', text: 'title' },
  'callback_button.json:quick_reply_without_context': { type: 'button', text: 'title' },
  'callback_selection.json:callback': { type: 'interactive', text: 'title' },
  'callback_selection.json:description': { type: 'interactive', text: 'title — description' },
  'flow_completion.json:completion': { type: 'interactive', text: '📝 Form response: Sent' },
  'flow_completion.json:without_flow_token': { type: 'interactive', text: '📝 Form response: Sent' },
  // The number change re-keys the contact (whatsapp-identity-changes.test.ts) and says so in the thread.
  'system.json:phone_number_change': { type: 'system', text: 'Test Name changed their number from +972987654321 to +972912345678' },
  'system.json:identity_change': { type: 'system', text: 'User identity changed' },
};

/** The corpus reuses a few wamids across files; make each fixture's messages its own. */
function prepare(s: TestServer, file: string, key: string, body: string): string {
  const doc = JSON.parse(body);
  for (const entry of doc.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const v = change.value ?? {};
      if (v.metadata) v.metadata.phone_number_id = s.config.whatsapp.phoneNumberId;
      for (const m of v.messages ?? []) {
        if (m.type !== 'revoke' && m.type !== 'edit') m.id = `${m.id}#${file}:${key}`;
      }
    }
  }
  return JSON.stringify(doc);
}

describe('the public webhook corpus, replayed signed', () => {
  let s: TestServer;
  const byWamid = new Map<string, any>();
  const fixtures = corpus();

  beforeAll(async () => {
    s = await startTestServer();
    // The message the corpus's reactions point at, and the one its "reply" quotes.
    await postWebhook(s, messagesWebhook(s, customerText('972987654321', 'a message to react to', { id: 'wamid.yzxyzx=', name: 'Test Name' })));
    await postWebhook(s, messagesWebhook(s, customerText('972987654321', 'the quoted message', { id: 'wamid.xyzxyz==', name: 'Test Name' })));
    for (const [file, key, body] of fixtures) {
      const res = await postWebhook(s, prepare(s, file, key, body));
      expect(res.status, `${file}:${key}`).toBe(200);
    }
    await waitFor(async () => {
      const res = await s.admin('/admin/api/whatsapp/webhook-events?limit=1');
      return !res.body.counts.pending && !res.body.counts.processing;
    });
    const list = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
    for (const c of list.body.data) {
      const msgs = await s.admin(`/admin/api/conversations/${c.id}/messages?limit=200`);
      for (const m of msgs.body.data) byWamid.set(m.wamid, { ...m, conversation: c });
    }
  });
  afterAll(() => s.stop());

  it('covers every file and key of the corpus', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
    expect(new Set(fixtures.map(([f]) => f)).size).toBe(19); // every .json file of the corpus
  });

  it('applies every delivery without failures (non-message fields are recorded, not crashed on)', async () => {
    const res = await s.admin('/admin/api/whatsapp/webhook-events?limit=200');
    expect(res.body.counts.failed ?? 0).toBe(0);
    expect(res.body.counts.done).toBe(fixtures.length + 2);
  });

  it.each(Object.entries(EXPECTED))('%s is stored with its type and a readable summary', (id, want) => {
    const [file, key] = id.split(':');
    const body = JSON.parse(fixtures.find(([f, k]) => f === file && k === key)![2]);
    const original = body.entry[0].changes[0].value.messages[0];
    const m = byWamid.get(`${original.id}#${file}:${key}`);
    expect(m, id).toBeDefined();
    expect(m.type).toBe(want.type);
    expect(m.text).toBe(want.text);
    expect(m.direction).toBe('inbound');
    expect(m.status).toBe('received');
    // The type-faithful Cloud API object is kept as content.
    expect(m.content.type).toBe(original.type);
    expect(m.content.id).toBe(`${original.id}#${file}:${key}`);
  });

  it('keeps reply context, linking the quoted message when we have it', () => {
    const reply = byWamid.get('wamid.xyzxyz#message.json:reply');
    const quoted = byWamid.get('wamid.xyzxyz==');
    expect(reply.context).toEqual({ wamid: 'wamid.xyzxyz==', message_id: quoted.id, text: 'the quoted message' });
    const unknownQuote = byWamid.get('wamid.xsidjw#callback_button.json:quick_reply');
    expect(unknownQuote.context).toMatchObject({ wamid: 'wamid.xyzxyz==', message_id: quoted.id });
    expect(byWamid.get('wamid.xyzxyz#message.json:text').context).toBeNull();
  });

  it('attaches reactions to their target, and an empty or missing emoji removes it', () => {
    const target = byWamid.get('wamid.yzxyzx=');
    // reaction 😮, then unreaction_empty and unreaction_no_emoji: none left.
    expect(target.reactions).toEqual([]);
    expect([...byWamid.values()].filter((m) => m.type === 'reaction')).toEqual([]);
  });

  it('keeps media messages with their media (pending download, never public)', () => {
    const image = byWamid.get('wamid.xyzxyz#message.json:image');
    expect(image.media).toMatchObject({ id: expect.any(String), mime: 'image/jpeg' });
    const doc = byWamid.get('wamid.xyzxyz#message.json:document');
    expect(doc.media).toMatchObject({ mime: 'application/pdf', filename: 'filename.pdf' });
  });

  it('stores an edit whose original we never saw under the original wamid, marked edited', () => {
    const edited = byWamid.get('wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=');
    expect(edited).toMatchObject({ type: 'image', text: '📷 Image: Updated image caption' });
    expect(edited.edited_at).toBe(new Date(1749854575 * 1000).toISOString());
  });

  it('keeps a revoke of an unseen message as a deleted tombstone', () => {
    const gone = byWamid.get('<ORIGINAL_WHATSAPP_MESSAGE_ID>');
    expect(gone).toMatchObject({ deleted: true, text: '' });
    // The corpus's sender later changes their number (system.json): the contact now has the new one.
    expect(gone.conversation.contact.wa_id).toBe('972912345678');
  });

  it('keeps contact names current and keys contacts by wa_id', async () => {
    const list = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
    const main = list.body.data.filter((c: any) => c.contact.wa_id === '972987654321');
    expect(main).toHaveLength(1);
    // system.json moves the first contact to a new number; its later message from the old number
    // (identity_change, named User A) is a new contact for that number.
    expect(main[0].contact.name).toBe('User A');
  });
});
