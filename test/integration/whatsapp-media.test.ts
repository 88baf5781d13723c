/**
 * Media both ways: inbound files downloaded from the (sandbox) Cloud API, checked and served to
 * agents only; agent uploads sent by media id; visitor attachments from the widget.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, messagesWebhook, phoneInbox, phoneSend, postWebhook, wamid } from '../support/whatsapp.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

function form(fields: Record<string, string>, file?: { data: Buffer; name: string; type?: string }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set('file', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name);
  return f;
}

describe('media', () => {
  let s: TestServer;
  let cookie: string;
  const asAgent = (p: string, init: RequestInit = {}) =>
    s.fetch(p, { ...init, headers: { cookie, origin: s.url, ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    s = await startTestServer();
    cookie = await s.signIn();
  });
  afterAll(() => s.stop());

  it('inbound images are downloaded, checked and served to agents inline, never to anyone else', async () => {
    await phoneSend(s, '447700903001', { type: 'image', image: { mime_type: 'image/png', data_base64: PNG.toString('base64'), caption: 'the broken part' } });
    const c = await conversationOf(s, '447700903001');
    const m = await waitFor(async () => (await messagesOf(s, c.id)).find((x) => x.media?.ready));
    expect(m).toMatchObject({
      type: 'image',
      text: '📷 Image: the broken part',
      media: { mime: 'image/png', size: PNG.length, url: `/admin/api/media/${m.media.id}` },
    });

    const res = await asAgent(m.media.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);

    expect((await s.fetch(m.media.url)).status).toBe(401);
    expect((await asAgent('/admin/api/media/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
  });

  it('inbound documents are served as attachments with their name', async () => {
    await phoneSend(s, '447700903002', {
      type: 'document',
      document: { mime_type: 'application/pdf', data_base64: PDF.toString('base64'), filename: 'invoice März.pdf' },
    });
    const c = await conversationOf(s, '447700903002');
    const m = await waitFor(async () => (await messagesOf(s, c.id)).find((x) => x.media?.ready));
    expect(m.text).toBe('📄 Document: invoice März.pdf');
    const res = await asAgent(m.media.url);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="invoice M_rz.pdf"; filename*=UTF-8''${encodeURIComponent('invoice März.pdf')}`);
  });

  it('refuses inbound media whose bytes do not match the sha256 the webhook announced', async () => {
    const real = (await phoneSend(s, '447700903003', { type: 'image', image: { mime_type: 'image/png', data_base64: PNG.toString('base64') } })) as {
      media_id?: string;
    };
    expect(real.media_id).toBeTruthy();
    const forgedId = wamid('sha');
    await postWebhook(
      s,
      messagesWebhook(s, {
        contacts: [{ profile: { name: 'X' }, wa_id: '447700903003' }],
        messages: [
          {
            from: '447700903003',
            id: forgedId,
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'image',
            image: { id: real.media_id, mime_type: 'image/png', sha256: createHash('sha256').update('something else').digest('base64') },
          },
        ],
      }),
    );
    const c = await conversationOf(s, '447700903003');
    const forged = await waitFor(async () => (await messagesOf(s, c.id)).find((x) => x.wamid === forgedId));
    const refused = await waitFor(
      async () => {
        const r = await asAgent(`/admin/api/media/${forged.media.id}`);
        return r.status === 404 ? r : null;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect((await refused.json()).error.message).toMatch(/sha256/);
    // The genuine copy of the same file downloads fine.
    const genuine = await waitFor(async () => (await messagesOf(s, c.id)).find((x) => x.wamid !== forgedId && x.media?.ready));
    expect(genuine.media.size).toBe(PNG.length);
  });

  it('agents upload a file and send it by media id; it reaches the phone as an image with its caption', async () => {
    await phoneSend(s, '447700903004', { type: 'text', text: { body: 'send me a photo' } });
    const c = await conversationOf(s, '447700903004');
    const up = await asAgent('/admin/api/media', { method: 'POST', body: form({}, { data: PNG, name: 'photo.png', type: 'image/png' }) });
    expect(up.status).toBe(201);
    const { media_id } = await up.json();
    const sent = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'media', media_id, caption: 'here it is' } });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ type: 'image', text: '📷 Image: here it is', media: { id: media_id, mime: 'image/png', ready: true } });
    const onPhone = await waitFor(async () => (await phoneInbox(s, '447700903004')).find((m) => m.type === 'image'));
    expect(onPhone.text).toContain('here it is');
    const sentMsg = (onPhone as unknown as { message: { image: { id: string } } }).message;
    expect(sentMsg.image.id).toMatch(/\S/);
  });

  it('refuses uploads that are not allow-listed by their bytes, empty, missing or anonymous', async () => {
    const exe = await asAgent('/admin/api/media', { method: 'POST', body: form({}, { data: EXE, name: 'invoice.pdf', type: 'application/pdf' }) });
    expect(exe.status).toBe(415);
    expect((await exe.json()).error.code).toBe('unsupported_media_type');
    const none = await asAgent('/admin/api/media', { method: 'POST', body: form({ note: 'no file' }) });
    expect(none.status).toBe(400);
    const json = await asAgent('/admin/api/media', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    const anon = await s.fetch('/admin/api/media', { method: 'POST', body: form({}, { data: PNG, name: 'a.png' }) });
    expect(anon.status).toBe(401);
    const unknownMedia = await s.admin(`/admin/api/conversations/${(await conversationOf(s, '447700903004')).id}/messages`, {
      body: { message_type: 'media', media_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    });
    expect(unknownMedia.status).toBe(404);
  });
});

describe('visitor attachments: POST /api/messages/attachments', () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer();
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.example.com' },
      body: JSON.stringify({ text: 'hi', name: 'Gil' }),
    });
    token = (await res.json()).visitor_token;
  });
  afterAll(() => s.stop());

  const post = (f: FormData, headers: Record<string, string> = {}) =>
    s.fetch('/api/messages/attachments', { method: 'POST', body: f, headers: { origin: 'https://shop.example.com', ...headers } });

  it('stores a visitor image as a message, pushes it live and forwards a summary to the owner', async () => {
    const cookie = await s.signIn();
    const agent = await s.adminSocket(cookie);
    const widget = await s.visitorSocket({ visitor_token: token });
    const toAgents = nextEvent(agent, 'message:new', (p: any) => p.message.type === 'image');
    const toWidget = nextEvent(widget, 'message:new', (p: any) => p.message.type === 'image');
    const res = await post(form({ visitor_token: token, client_id: 'att-1', caption: 'my receipt' }, { data: PNG, name: 'receipt.png', type: 'image/png' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { message } = await res.json();
    expect(message).toMatchObject({
      type: 'image',
      direction: 'inbound',
      sender: 'visitor',
      text: '📷 Image: my receipt',
      media: { mime: 'image/png', filename: 'receipt.png', ready: true },
    });
    expect((await toAgents).message.id).toBe(message.id);
    expect((await toWidget).message.id).toBe(message.id);
    const onOwner = await waitFor(async () => (await phoneInbox(s, '15550100001')).find((m) => m.template?.parameters[2] === '📷 Image: my receipt'));
    expect(onOwner.template!.parameters[0]).toBe('Gil');

    // The same client_id again is the same message, not a second one.
    const again = await post(form({ visitor_token: token, client_id: 'att-1' }, { data: PNG, name: 'receipt.png' }));
    expect(again.status).toBe(200);
    expect((await again.json()).message.id).toBe(message.id);
    const agentView = await s.admin(`/admin/api/media/${message.media.id}`);
    expect(agentView.status).toBe(200);
  });

  it('gives the visitor signed, expiring links to its own files — in the answer, live and after a reload — and nobody else', async () => {
    const widget = await s.visitorSocket({ visitor_token: token });
    const toWidget = nextEvent(widget, 'message:new', (p: any) => p.message.type === 'image');
    const res = await post(form({ visitor_token: token, client_id: 'att-links' }, { data: PNG, name: 'photo.png', type: 'image/png' }));
    const { message } = await res.json();
    const links = [message.media.url, (await toWidget).message.media.url];
    const history = (await (await s.fetch(`/api/messages?visitor_token=${token}`)).json()).data.find((m: any) => m.id === message.id);
    links.push(history.media.url);
    for (const url of links) {
      expect(url).toMatch(new RegExp(`^/api/media/${message.media.id}\\?exp=\\d+&sig=[\\w-]{43}$`));
      const file = await s.fetch(url); // no cookie, no token: the link is the key
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);
      expect(file.headers.get('content-type')).toBe('image/png');
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
    // Agents keep their own route, in what they are sent.
    const agentCopy = (await s.admin(`/admin/api/conversations/${message.conversation_id}/messages`)).body.data.find((m: any) => m.id === message.id);
    expect(agentCopy.media.url).toBe(`/admin/api/media/${message.media.id}`);

    // Altered, expired, moved to another file, or missing: 403 and no bytes.
    const url = new URL(links[0], s.url);
    const exp = url.searchParams.get('exp')!;
    const sig = url.searchParams.get('sig')!;
    const other = (await (await post(form({ visitor_token: token }, { data: PDF, name: 'other.pdf' }))).json()).message.media.id;
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    for (const bad of [
      `/api/media/${message.media.id}?exp=${exp}&sig=${flipped}`,
      `/api/media/${message.media.id}?exp=${Number(exp) + 1}&sig=${sig}`,
      `/api/media/${message.media.id}?exp=${Math.floor(Date.now() / 1000) - 60}&sig=${sig}`,
      `/api/media/${other}?exp=${exp}&sig=${sig}`,
      `/api/media/${message.media.id}?exp=${exp}`,
      `/api/media/${message.media.id}`,
    ]) {
      const r = await s.fetch(bad);
      expect(r.status, bad).toBe(403);
      expect((await r.json()).error.code).toBe('forbidden');
    }
  });

  it('takes PDFs as documents', async () => {
    const res = await post(form({ visitor_token: token }, { data: PDF, name: 'order.pdf' }));
    expect(res.status).toBe(201);
    expect((await res.json()).message).toMatchObject({ type: 'document', text: '📄 Document: order.pdf', media: { mime: 'application/pdf' } });
  });

  it('refuses bad uploads clearly and stores nothing', async () => {
    const history = async () => (await (await s.fetch(`/api/messages?visitor_token=${token}`)).json()).data.length;
    const before = await history();
    const cases: [FormData, number, string][] = [
      [form({}, { data: PNG, name: 'a.png' }), 400, 'validation_failed'],
      [form({ visitor_token: 'short' }, { data: PNG, name: 'a.png' }), 401, 'unauthorized'],
      [form({ visitor_token: token }), 400, 'validation_failed'],
      [form({ visitor_token: token }, { data: EXE, name: 'photo.png' }), 415, 'unsupported_media_type'],
      [form({ visitor_token: token }, { data: Buffer.from('ID3\u0003\u0000\u0000'), name: 'song.mp3' }), 415, 'unsupported_media_type'],
      [form({ visitor_token: token }, { data: Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), name: 'huge.png' }), 413, 'payload_too_large'],
      [form({ visitor_token: token, caption: 'x'.repeat(1025) }, { data: PNG, name: 'a.png' }), 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect(res.status, code).toBe(status);
      expect((await res.json()).error.code).toBe(code);
    }
    expect(await history()).toBe(before);
  });

  it('answers the CORS preflight', async () => {
    const res = await s.fetch('/api/messages/attachments', { method: 'OPTIONS', headers: { origin: 'https://shop.example.com' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });
});
