/**
 * Files keep a name whose extension matches their verified type, never a dangerous one, and an
 * Office document is one only if its ZIP really is that document — for visitor attachments, agent
 * uploads and files that arrive from WhatsApp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypesXml, officeFile, zipOf } from '../../server/test-support/office-files.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, messagesOf, phoneSend } from '../support/whatsapp.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function form(fields: Record<string, string>, file: { data: Buffer; name: string; type?: string }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  f.set('file', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name);
  return f;
}

describe('upload names and types', () => {
  let s: TestServer;
  let cookie: string;
  let token: string;
  const attach = (name: string, data: Buffer, type?: string) =>
    s.fetch('/api/messages/attachments', { method: 'POST', body: form({ visitor_token: token }, { data, name, type }) });
  const asAgent = (p: string, init: RequestInit = {}) => s.fetch(p, { ...init, headers: { cookie, origin: s.url } });
  const downloadName = async (id: string) => (await asAgent(`/admin/api/media/${id}`)).headers.get('content-disposition');

  beforeAll(async () => {
    s = await startTestServer();
    cookie = await s.signIn();
    const res = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'files follow' }),
    });
    token = (await res.json()).visitor_token;
  });
  afterAll(() => s.stop());

  it('a visitor file named .html, .hta or .svg is stored and served under its real type’s extension', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['evil.html', PNG, 'evil.png'],
      ['evil.hta', Buffer.from('just some text\n'), 'evil.txt'],
      ['drawing.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'), 'drawing.txt'],
    ];
    for (const [name, data, stored] of cases) {
      const res = await attach(name, data, 'text/html');
      expect(res.status, name).toBe(201);
      const { message } = await res.json();
      expect(message.media.filename, name).toBe(stored);
      const kind = stored.endsWith('.png') ? 'inline' : 'attachment';
      expect(await downloadName(message.media.id), name).toBe(`${kind}; filename="${stored}"; filename*=UTF-8''${stored}`);
    }
  });

  it('refuses a ZIP that merely has a word/ entry, takes a real .docx', async () => {
    const fake = await zipOf({ 'word/evil.hta': '<script>new ActiveXObject("WScript.Shell")</script>' });
    const refused = await attach('report.docx', fake, DOCX);
    expect(refused.status).toBe(415);
    expect((await refused.json()).error.code).toBe('unsupported_media_type');
    const docm = await zipOf({
      '[Content_Types].xml': contentTypesXml([['word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml']]),
      'word/document.xml': '<x/>',
    });
    expect((await attach('macro.docx', docm, DOCX)).status).toBe(415);

    const real = await attach('report.docx', await officeFile('docx'), DOCX);
    expect(real.status).toBe(201);
    expect((await real.json()).message.media).toMatchObject({ mime: DOCX, filename: 'report.docx' });
    const sheet = await attach('numbers.bin', await officeFile('xlsx'));
    expect((await sheet.json()).message.media.filename).toBe('numbers.xlsx');
  });

  it('an agent upload gets the same treatment', async () => {
    const res = await asAgent('/admin/api/media', { method: 'POST', body: form({}, { data: PDF, name: 'invoice.hta', type: 'application/hta' }) });
    expect(res.status).toBe(201);
    const { media } = await res.json();
    expect(media).toMatchObject({ mime: 'application/pdf', filename: 'invoice.pdf' });
    expect(await downloadName(media.id)).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
  });

  it('a file from WhatsApp with a dangerous type and name is served as opaque bytes with a harmless name', async () => {
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    await phoneSend(s, '447700904001', {
      type: 'document',
      document: { mime_type: 'text/html', data_base64: html.toString('base64'), filename: 'invoice.html' },
    });
    const c = await conversationOf(s, '447700904001');
    const m = await waitFor(async () => (await messagesOf(s, c.id)).find((x) => x.media?.ready));
    const res = await asAgent(m.media.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="invoice.bin"; filename*=UTF-8''invoice.bin`);
  });
});
