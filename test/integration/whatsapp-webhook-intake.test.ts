import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import { WebhookEventsRepo } from '../../server/src/db/repos/webhook-events-repo.ts';
import { startTestServer, tempDir, waitFor, type TestServer } from '../support/server.ts';
import { conversationOf, customerText, messagesOf, messagesWebhook, phoneSend, postWebhook, sign, wamid } from '../support/whatsapp.ts';

async function eventCounts(s: TestServer): Promise<Record<string, number>> {
  return (await s.admin('/admin/api/whatsapp/webhook-events?limit=1')).body.counts;
}

async function settled(s: TestServer): Promise<void> {
  await waitFor(async () => {
    const c = await eventCounts(s);
    return !c.pending && !c.processing;
  });
}

describe('webhook intake: POST /api/whatsapp/webhook', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('answers 200 for a signed delivery and applies it afterwards', async () => {
    const res = await postWebhook(s, messagesWebhook(s, customerText('447700900001', 'Hello from WhatsApp', { name: 'Ana' })));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: false });
    const c = await conversationOf(s, '447700900001');
    expect(c.contact.name).toBe('Ana');
    expect((await messagesOf(s, c.id)).map((m) => m.text)).toEqual(['Hello from WhatsApp']);
  });

  it('refuses a missing, malformed or forged signature with 401 and stores nothing', async () => {
    const before = await eventCounts(s);
    const body = JSON.stringify(messagesWebhook(s, customerText('447700900002', 'forged')));
    for (const signature of [null, '', 'sha256=', 'sha1=abc', sign(body, 'not-the-app-secret'), sign(body + ' ', s.config.whatsapp.appSecret)]) {
      const res = await postWebhook(s, body, { signature });
      expect(res.status, String(signature)).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_signature');
    }
    expect(await eventCounts(s)).toEqual(before);
    const list = await s.admin('/admin/api/conversations?channel=whatsapp&limit=100');
    expect(list.body.data.some((c: any) => c.contact.wa_id === '447700900002')).toBe(false);
  });

  it('verifies the signature over the exact bytes: \\u-escaped bodies pass, re-serialised ones do not', async () => {
    const raw = JSON.stringify(messagesWebhook(s, customerText('447700900003', 'Olá, café às 9h?'))).replace(
      /[\u007f-\uffff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(raw).toContain('\\u00e9');
    expect((await postWebhook(s, raw)).status).toBe(200);
    const c = await conversationOf(s, '447700900003');
    expect((await messagesOf(s, c.id))[0].text).toBe('Olá, café às 9h?');
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect((await postWebhook(s, raw, { signature: sign(reserialised, s.config.whatsapp.appSecret) })).status).toBe(401);
  });

  it('answers 400 for malformed JSON or a body that is not a webhook, storing nothing', async () => {
    const before = await eventCounts(s);
    const bad = await postWebhook(s, '{"object": "whatsapp_business_account", "entry": [');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_json');
    const wrong = await postWebhook(s, '{"hello": "world"}');
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.code).toBe('validation_failed');
    expect(await eventCounts(s)).toEqual(before);
  });

  it('answers 413 for a body over 3 MB', async () => {
    const big = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(3 * 1024 * 1024) });
    const res = await postWebhook(s, big);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('answers 413 for a chunked body that grows past 3 MB without a Content-Length, and closes that connection', async () => {
    const before = await eventCounts(s);
    const { status, body, connection } = await new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      const req = http.request(
        `${s.url}/api/whatsapp/webhook`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      req.on('error', () => {}); // the server may close while we still write: expected
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('payload_too_large');
    expect(connection).toBe('close');
    expect(await eventCounts(s)).toEqual(before);
  });

  it('answers like the rest of the API: JSON with nosniff on success and refusal, a query string is ignored', async () => {
    const ok = await postWebhook(s, messagesWebhook(s, customerText('447700900009', 'headers')), {});
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('server-timing')).toMatch(/^app;dur=\d/);
    const refused = await postWebhook(s, '{}', { signature: 'sha256=00' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    const raw = JSON.stringify(messagesWebhook(s, customerText('447700900010', 'with a query string')));
    const withQuery = await s.fetch('/api/whatsapp/webhook?source=meta', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, s.config.whatsapp.appSecret) },
      body: raw,
    });
    expect(withQuery.status).toBe(200);
    // Other methods on the path are not deliveries: GET is the verification handshake.
    expect((await s.fetch('/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1')).status).toBe(403);
  });

  it('stores a delivery once however often and however concurrently it arrives', async () => {
    const id = wamid('dup');
    const body = JSON.stringify(messagesWebhook(s, customerText('447700900004', 'only once', { id })));
    const same = await Promise.all(Array.from({ length: 8 }, () => postWebhook(s, body)));
    expect(same.map((r) => r.status)).toEqual(Array(8).fill(200));
    const flags = await Promise.all(same.map((r) => r.json()));
    expect(flags.filter((f) => !f.duplicate)).toHaveLength(1);
    // Same wamid in different bodies (Meta's retries differ in envelope details).
    const variants = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const b = messagesWebhook(s, customerText('447700900004', 'only once', { id }));
        (b.entry[0] as { time?: number }).time = 1700000000 + i;
        return postWebhook(s, b);
      }),
    );
    expect(variants.every((r) => r.status === 200)).toBe(true);
    await settled(s);
    const c = await conversationOf(s, '447700900004');
    expect((await messagesOf(s, c.id)).filter((m) => m.wamid === id)).toHaveLength(1);
    expect(c.unread).toBe(1);
  });

  it('applies every message of every entry and change, not just the first', async () => {
    const change = (waId: string, texts: string[]) => ({
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550000000', phone_number_id: s.config.whatsapp.phoneNumberId },
        contacts: [{ profile: { name: `P${waId.slice(-2)}` }, wa_id: waId }],
        messages: texts.map((t) => ({ from: waId, id: wamid('multi'), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: t } })),
      },
    });
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: s.config.whatsapp.wabaId, changes: [change('447700900011', ['a1', 'a2']), change('447700900012', ['b1'])] },
        { id: s.config.whatsapp.wabaId, changes: [change('447700900013', ['c1', 'c2', 'c3'])] },
      ],
    };
    expect((await postWebhook(s, body)).status).toBe(200);
    await settled(s);
    const texts = async (waId: string) => (await messagesOf(s, (await conversationOf(s, waId)).id)).map((m) => m.text);
    expect(await texts('447700900011')).toEqual(['a1', 'a2']);
    expect(await texts('447700900012')).toEqual(['b1']);
    expect(await texts('447700900013')).toEqual(['c1', 'c2', 'c3']);
  });

  it('moves the 24-hour window by Meta’s timestamp, not by arrival time', async () => {
    const at = Date.now() - 3 * 3600_000;
    await postWebhook(s, messagesWebhook(s, customerText('447700900014', 'three hours ago', { at })));
    const c = await conversationOf(s, '447700900014');
    expect(c.window.open).toBe(true);
    expect(new Date(c.window.closes_at).getTime()).toBe(Math.floor(at / 1000) * 1000 + 24 * 3600_000);
  });

  it('applies edits and revokes to the original message, and reactions to their target', async () => {
    const original = wamid('orig');
    await postWebhook(s, messagesWebhook(s, customerText('447700900015', 'I want 3 boxes', { id: original })));
    const c = await conversationOf(s, '447700900015');
    const ts = String(Math.floor(Date.now() / 1000));
    const base = { from: '447700900015', timestamp: ts };
    await postWebhook(
      s,
      messagesWebhook(s, {
        messages: [
          { ...base, id: wamid('edit'), type: 'edit', edit: { original_message_id: original, message: { type: 'text', text: { body: 'I want 4 boxes' } } } },
        ],
      }),
    );
    await postWebhook(
      s,
      messagesWebhook(s, { messages: [{ ...base, id: wamid('react'), type: 'reaction', reaction: { message_id: original, emoji: '👍' } }] }),
    );
    await settled(s);
    let [m] = await messagesOf(s, c.id);
    expect(m).toMatchObject({ text: 'I want 4 boxes', reactions: [{ emoji: '👍', from: '447700900015' }], deleted: false });
    expect(m.edited_at).not.toBeNull();
    await postWebhook(s, messagesWebhook(s, { messages: [{ ...base, id: wamid('revoke'), type: 'revoke', revoke: { original_message_id: original } }] }));
    await settled(s);
    const all = await messagesOf(s, c.id);
    expect(all).toHaveLength(1); // edits, reactions and revokes are not extra visible messages
    [m] = all;
    expect(m).toMatchObject({ deleted: true, text: '' });
  });

  it('keys a sender without a phone number by Meta’s business-scoped user id', async () => {
    const body = messagesWebhook(s, {
      contacts: [{ profile: { name: 'Username only' }, user_id: 'US.999000111' }],
      messages: [
        { from_user_id: 'US.999000111', id: wamid('bsuid'), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hi, no phone' } },
      ],
    });
    expect((await postWebhook(s, body)).status).toBe(200);
    const c = await waitFor(async () =>
      (await s.admin('/admin/api/conversations?channel=whatsapp&limit=100')).body.data.find((x: any) => x.contact.user_id === 'US.999000111'),
    );
    expect(c.contact).toMatchObject({ name: 'Username only', wa_id: null });
    // Without a phone number the reply goes to the user id (`recipient`, whatsapp-username-users.test.ts).
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text: 'hello?' } });
    expect(reply.status).toBe(201);
    expect(await messagesOf(s, c.id)).toHaveLength(2);
  });

  it('keeps a delivery for an unknown business number as failed, with why, and can replay it', async () => {
    const body = messagesWebhook(s, customerText('447700900016', 'wrong number'));
    (body.entry[0] as any).changes[0].value.metadata.phone_number_id = '999999999999999';
    expect((await postWebhook(s, body)).status).toBe(200);
    const failed = await waitFor(async () =>
      (await s.admin('/admin/api/whatsapp/webhook-events?status=failed')).body.data.find((e: any) => /999999999999999/.test(e.error ?? '')),
    );
    expect(failed.error).toMatch(/no WhatsApp number with phone_number_id 999999999999999/);
    const stored = await s.admin(`/admin/api/whatsapp/webhook-events/${failed.id}`);
    expect(JSON.parse(stored.body.body)).toEqual(body); // the raw delivery is kept
    const replay = await s.admin(`/admin/api/whatsapp/webhook-events/${failed.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    expect((await s.admin('/admin/api/whatsapp/webhook-events/01ARZ3NDEKTSV4RRFFQ69G5FAV/replay', { method: 'POST' })).status).toBe(404);
  });
});

describe('webhook statuses', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  async function sentReply(waId: string, text: string): Promise<{ id: string; wamid: string; conversationId: string }> {
    await phoneSend(s, waId, { type: 'text', text: { body: 'hello' } });
    const c = await conversationOf(s, waId);
    const reply = await s.admin(`/admin/api/conversations/${c.id}/messages`, { body: { message_type: 'text', text } });
    const m = await waitFor(async () => (await messagesOf(s, c.id)).find((x) => x.id === reply.body.message.id && x.wamid));
    return { id: m.id, wamid: m.wamid, conversationId: c.id };
  }

  const status = (s: TestServer, id: string, st: string, extra: object = {}) =>
    messagesWebhook(s, { statuses: [{ id, status: st, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '447700900020', ...extra }] });

  it('only move forward, however they are ordered or repeated', async () => {
    const m = await sentReply('447700900020', 'ticks');
    await waitFor(async () => (await messagesOf(s, m.conversationId)).find((x) => x.id === m.id && x.status === 'read'));
    for (const st of ['delivered', 'sent', 'read', 'sent', 'delivered']) expect((await postWebhook(s, status(s, m.wamid, st))).status).toBe(200);
    await settled(s);
    const after = (await messagesOf(s, m.conversationId)).find((x) => x.id === m.id);
    expect(after.status).toBe('read');
  });

  it('failed keeps Meta’s code, title and details with a plain-language explanation, and is final', async () => {
    const m = await sentReply('447700900021', 'will fail');
    const failed = status(s, m.wamid, 'failed', {
      errors: [
        {
          code: 131026,
          title: 'Message undeliverable',
          message: 'Message undeliverable',
          error_data: { details: 'Receiver is incapable of receiving this message' },
        },
      ],
    });
    await postWebhook(s, failed);
    await postWebhook(s, status(s, m.wamid, 'read'));
    await settled(s);
    const after = (await messagesOf(s, m.conversationId)).find((x) => x.id === m.id);
    expect(after.status).toBe('failed');
    expect(after.error).toMatchObject({
      code: '131026',
      title: 'Message undeliverable',
      detail: 'Receiver is incapable of receiving this message',
      explanation: expect.stringMatching(/cannot receive/),
      fix: expect.any(String),
      retryable: false,
    });
  });

  it('a status for a wamid not stored yet is kept and applied once the wamid is known', async () => {
    const res = await postWebhook(s, status(s, 'wamid.not-yet-known', 'delivered'));
    expect(res.status).toBe(200);
    await settled(s);
    const events = await s.admin('/admin/api/whatsapp/webhook-events?status=failed');
    expect(events.body.data).toEqual([]);
  });
});

describe('webhook deliveries survive a crash between the 200 and applying them', () => {
  it('applies pending and abandoned events after a restart', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({}, { dataDir });
    const config = first.config;
    const makeBody = (waId: string, text: string) => JSON.stringify(messagesWebhook(first, customerText(waId, text)));
    await first.stop();

    // What a crash leaves behind: an acknowledged delivery never applied, and one whose apply died mid-way.
    const db = createDb(config.database);
    const events = new WebhookEventsRepo(db);
    const ids = await events.insertBatch([
      { dedupeKey: 'a'.repeat(64), rawBody: makeBody('447700900030', 'stored before the crash') },
      { dedupeKey: 'b'.repeat(64), rawBody: makeBody('447700900031', 'being applied during the crash') },
    ]);
    await db('webhook_events')
      .where({ id: ids.get('b'.repeat(64)) })
      .update({ status: 'processing', lease_expires_at: Date.now() - 1000, attempts: 1 });
    await db.destroy();

    const second = await startTestServer({}, { dataDir });
    try {
      for (const [waId, text] of [
        ['447700900030', 'stored before the crash'],
        ['447700900031', 'being applied during the crash'],
      ]) {
        const c = await conversationOf(second, waId!);
        expect((await messagesOf(second, c.id)).map((m) => m.text)).toEqual([text]);
      }
    } finally {
      await second.stop();
    }
  });
});
