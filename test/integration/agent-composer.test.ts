/**
 * The agent's composer, over both channels: what an agent sends reaches a web visitor (socket and
 * history) and a WhatsApp customer (the sandbox's phone over HTTP), named by its author.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneInbox, phoneSend } from '../support/whatsapp.ts';

interface Msg {
  id: string;
  type: string;
  text: string;
  sender: string;
  author_name: string | null;
  context: { message_id: string | null; wamid: string | null; text?: string | null } | null;
  media: { id: string; mime: string; size: number; filename: string; url: string | null; ready: boolean } | null;
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(300, 1)]);

describe('the agent composer', () => {
  let s: TestServer;
  let me: { id: string; name: string };
  beforeAll(async () => {
    s = await startTestServer();
    me = (await s.admin('/admin/api/me')).body.user;
  });
  afterAll(() => s.stop());

  /** An agent's upload (POST /admin/api/media) → its media id. */
  async function upload(data: Buffer, name: string): Promise<string> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(data)]), name);
    const res = await s.fetch('/admin/api/media', { method: 'POST', body: form, headers: { cookie: await s.signIn(), origin: s.url } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { media_id: string }).media_id;
  }

  const send = (conversationId: string, body: object) => s.admin(`/admin/api/conversations/${conversationId}/messages`, { body });
  const history = async (visitorToken: string) => ((await (await s.fetch(`/api/messages?visitor_token=${visitorToken}`)).json()) as { data: Msg[] }).data;

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

  it('sends files to a web visitor: images and documents with signed links, live and in history', async () => {
    const { conversation_id: id, visitor_token } = await webConversation('Can you send the invoice?');
    const visitor = await s.visitorSocket({ visitor_token });
    const image = await upload(PNG, 'photo.png');
    const live = nextEvent<{ message: Msg }>(visitor, 'message:new', (p) => p.message.type === 'image');
    const sent = await send(id, { message_type: 'media', media_id: image, caption: 'Our shop' });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({
      type: 'image',
      text: '📷 Image: Our shop',
      media: { id: image, mime: 'image/png', ready: true },
      author_name: me.name,
    });
    expect(sent.body.message.media.url).toBe(`/admin/api/media/${image}`);
    const pushed = (await live).message;
    expect(pushed.media?.url).toMatch(new RegExp(`^/api/media/${image}\\?exp=\\d+&sig=`));
    const file = await s.fetch(pushed.media!.url!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);

    const pdf = await upload(PDF, 'invoice 42.pdf');
    expect((await send(id, { message_type: 'media', media_id: pdf })).status).toBe(201);
    const doc = (await history(visitor_token)).find((m) => m.type === 'document')!;
    expect(doc.media).toMatchObject({ mime: 'application/pdf', size: PDF.length, filename: 'invoice 42.pdf', ready: true });
    expect(doc.media!.url).toMatch(/^\/api\/media\/.+\?exp=\d+&sig=/);
    expect((await s.fetch(doc.media!.url!)).status).toBe(200);
    // A tampered link opens nothing.
    expect((await s.fetch(doc.media!.url!.replace(/sig=./, 'sig=A'))).status).toBe(403);
  });

  it('refuses a file the visitors allow-list refuses, or an unknown one, and stores nothing', async () => {
    const { conversation_id: id, visitor_token } = await webConversation('Send me a song');
    const before = (await messagesOf(s, id)).length;
    const audio = await upload(OGG, 'song.ogg');
    const refused = await send(id, { message_type: 'media', media_id: audio });
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe('unsupported_media_type');
    const unknown = await send(id, { message_type: 'media', media_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(unknown.status).toBe(404);
    const noId = await send(id, { message_type: 'media' });
    expect(noId.status).toBe(400);
    expect((await messagesOf(s, id)).length).toBe(before);
    expect((await history(visitor_token)).length).toBe(1);
  });

  it('quotes a message of the same web conversation (text and file) and refuses one of another', async () => {
    const { conversation_id: id, visitor_token } = await webConversation('Is it waterproof?');
    const question = (await messagesOf(s, id))[0] as Msg;
    const reply = await send(id, { message_type: 'text', text: 'Yes, up to 30 m.', reply_to: question.id });
    expect(reply.status).toBe(201);
    expect(reply.body.message.context).toMatchObject({ message_id: question.id, text: 'Is it waterproof?' });
    const pic = await send(id, { message_type: 'media', media_id: await upload(PNG, 'dive.png'), reply_to: question.id });
    expect(pic.status).toBe(201);
    expect(pic.body.message.context).toMatchObject({ message_id: question.id });
    const seen = await history(visitor_token);
    expect(seen.find((m) => m.text === 'Yes, up to 30 m.')?.context).toMatchObject({ message_id: question.id, text: 'Is it waterproof?' });

    const other = await webConversation('Another visitor');
    const before = (await messagesOf(s, other.conversation_id)).length;
    for (const body of [
      { message_type: 'text', text: 'Wrong thread', reply_to: question.id },
      { message_type: 'media', media_id: await upload(PNG, 'x.png'), reply_to: question.id },
      { message_type: 'text', text: 'No such message', reply_to: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    ]) {
      const res = await send(other.conversation_id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('reply_to');
    }
    expect((await messagesOf(s, other.conversation_id)).length).toBe(before);
  });

  it('quotes on WhatsApp with context.message_id, for text and media, and refuses a quote of another conversation', async () => {
    const waId = '351910000102';
    const asked = await phoneSend(s, waId, { type: 'text', text: { body: 'Do you have it in blue?' } });
    const c = await conversationOf(s, waId);
    const question = await waitFor(async () => (await messagesOf(s, c.id)).find((m: Msg & { wamid: string }) => m.wamid === asked.wamid) as Msg | undefined);
    expect((await send(c.id, { message_type: 'text', text: 'We do!', reply_to: question.id })).status).toBe(201);
    expect((await send(c.id, { message_type: 'media', media_id: await upload(PNG, 'blue.png'), caption: 'Blue', reply_to: question.id })).status).toBe(201);
    const text = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.text === 'We do!'));
    expect(text.context).toMatchObject({ message_id: asked.wamid });
    const image = await waitFor(async () => (await phoneInbox(s, waId)).find((m) => m.type === 'image'));
    expect(image.context).toMatchObject({ message_id: asked.wamid });

    const web = await webConversation('Web question');
    const webMsg = (await messagesOf(s, web.conversation_id))[0] as Msg;
    const before = (await messagesOf(s, c.id)).length;
    const refused = await send(c.id, { message_type: 'text', text: 'Cross', reply_to: webMsg.id });
    expect(refused.status).toBe(400);
    expect((await messagesOf(s, c.id)).length).toBe(before);
  });
});
