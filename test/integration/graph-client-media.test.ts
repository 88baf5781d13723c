/**
 * Media like the Cloud API: upload → id → GET /{media-id} → a 5-minute URL → bytes only with the
 * bearer token; inbound media from a simulated phone is downloadable the same way.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxHarness, type SandboxHarness } from '../../server/src/sandbox/harness.ts';
import { GraphApiError, MediaTooLargeError, errorCodeOf } from '../../server/src/whatsapp/graph-error.ts';

describe('GraphClient → sandbox: media', () => {
  let h: SandboxHarness;
  let t = Date.UTC(2026, 5, 1);
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 7)]);

  beforeAll(async () => {
    h = await startSandboxHarness({ now: () => t });
  });
  afterAll(() => h.close());

  it('upload → info → download returns the same bytes, with sha256 and size', async () => {
    const client = h.client();
    const { id } = await client.uploadMedia(pdf, 'application/pdf', 'invoice.pdf');
    expect(id).toMatch(/^\d{15,16}$/);
    const info = await client.getMediaInfo(id);
    expect(info).toMatchObject({ id, mime_type: 'application/pdf', file_size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
    expect((info as unknown as { messaging_product: string }).messaging_product).toBe('whatsapp');
    const bytes = await client.downloadMedia(info.url, { maxBytes: 1024 * 1024 });
    expect(bytes.equals(pdf)).toBe(true);
  });

  it('the media URL needs the bearer token', async () => {
    const client = h.client();
    const { id } = await client.uploadMedia(pdf, 'application/pdf', 'a.pdf');
    const { url } = await client.getMediaInfo(id);
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe(190);
    const wrong = await client.downloadMedia(url, { maxBytes: 1e6, token: 'nope' }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ httpStatus: 401, code: 190 });
    const tampered = await fetch(url.replace(/hash=[^&]+/, 'hash=forged'), { headers: { authorization: 'Bearer harness-token' } });
    expect(tampered.status).toBe(404);
  });

  it('the media URL expires after 5 minutes; a fresh GET /{media-id} gives a working one', async () => {
    const client = h.client();
    const { id } = await client.uploadMedia(pdf, 'application/pdf', 'b.pdf');
    const { url } = await client.getMediaInfo(id);
    t += 5 * 60_000 + 1;
    const expired = await client.downloadMedia(url, { maxBytes: 1e6 }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(GraphApiError);
    expect(errorCodeOf(expired)).toBe('http_403');
    const fresh = await client.getMediaInfo(id);
    expect((await client.downloadMedia(fresh.url, { maxBytes: 1e6 })).equals(pdf)).toBe(true);
  });

  it('downloadMedia refuses more than maxBytes and never sends the token to a foreign host', async () => {
    const client = h.client();
    const { id } = await client.uploadMedia(pdf, 'application/pdf', 'c.pdf');
    const { url } = await client.getMediaInfo(id);
    const big = await client.downloadMedia(url, { maxBytes: 100 }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(MediaTooLargeError);
    const foreign = await client.downloadMedia('https://attacker.example/steal', { maxBytes: 100 }).catch((e: unknown) => e);
    expect((foreign as Error).message).toMatch(/refusing to send the access token/);
  });

  it('uploads of unsupported types or oversized files fail with 131053; missing fields with 100', async () => {
    const client = h.client();
    const exe = await client.uploadMedia(Buffer.from('MZ'), 'application/x-msdownload', 'x.exe').catch((e: unknown) => e);
    expect(exe).toMatchObject({ httpStatus: 400, code: 131053 });
    const hugeSticker = await client.uploadMedia(Buffer.alloc(600 * 1024), 'image/webp', 's.webp').catch((e: unknown) => e);
    expect(hugeSticker).toMatchObject({ code: 131053 });
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array([1])], { type: 'image/png' }), 'x.png');
    const noProduct = await fetch(`${h.graphUrl}/v25.0/100000000000001/media`, {
      method: 'POST',
      body: form,
      headers: { authorization: 'Bearer harness-token' },
    });
    expect(noProduct.status).toBe(400);
    expect((await noProduct.json()).error.code).toBe(100);
    const notMultipart = await fetch(`${h.graphUrl}/v25.0/100000000000001/media`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: 'Bearer harness-token', 'content-type': 'application/json' },
    });
    expect((await notMultipart.json()).error.code).toBe(100);
  });

  it('DELETE /{media-id} removes it; its id is then unknown (100)', async () => {
    const client = h.client();
    const { id } = await client.uploadMedia(pdf, 'application/pdf', 'd.pdf');
    const del = await fetch(`${h.graphUrl}/v25.0/${id}`, { method: 'DELETE', headers: { authorization: 'Bearer harness-token' } });
    expect(await del.json()).toEqual({ success: true });
    const gone = await client.getMediaInfo(id).catch((e: unknown) => e);
    expect(gone).toMatchObject({ code: 100, subcode: 33 });
  });

  it('inbound media from a phone arrives in the webhook as an id the server can download', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    const sent = await h.phoneSends('4915100000001', {
      type: 'image',
      image: { data_base64: png.toString('base64'), mime_type: 'image/png', caption: 'my receipt' },
    });
    expect(sent.status).toBe(200);
    expect(sent.body.webhook).toMatchObject({ ok: true, attempts: 1, status: 200 });
    const delivery = await h.receiver.until((all) => all.map((w) => w.body.entry[0].changes[0].value.messages?.[0]).find((m) => m?.id === sent.body.wamid));
    expect(delivery.image).toMatchObject({
      id: sent.body.media_id,
      mime_type: 'image/png',
      caption: 'my receipt',
      sha256: createHash('sha256').update(png).digest('base64'),
    });
    expect(delivery.image.data_base64).toBeUndefined();
    const info = await h.client().getMediaInfo(delivery.image.id);
    expect((await h.client().downloadMedia(info.url, { maxBytes: 1e6 })).equals(png)).toBe(true);
  });
});
