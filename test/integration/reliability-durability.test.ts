/**
 * Nothing answered is lost. A visitor message acked over the socket (or answered 201 over HTTP),
 * a signed webhook answered 200 and an agent reply answered 201 are on disk before the answer
 * leaves. The server runs as its own process next to the standalone sandbox; all four kinds of
 * work are fired at once and the process gets SIGKILL the moment the last kind sees its first
 * answer. What is on disk is read while it is down; then it restarts on the same DATA_DIR and
 * port, and everything that was answered must be there — webhooks applied, replies delivered to
 * the phone exactly once.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import { freePort } from '../support/cluster.ts';
import { SandboxProcess, ServerProcess, textWebhook, withDatabase, type InboxItem } from '../support/process.ts';
import { tempDir, waitFor } from '../support/server.ts';

const CUSTOMER = '4915112340001';

interface Conversation {
  id: string;
  contact: { wa_id: string | null };
}
interface Message {
  id: string;
  text: string;
  wamid: string | null;
  status: string;
}
interface Answered {
  id: string;
  text: string;
}
interface Delivery {
  waId: string;
  wamid: string;
  text: string;
}

describe('durability: the SQLite journal', () => {
  it('is WAL with synchronous=FULL, so every commit is fsynced before the answer', async () => {
    const dir = tempDir('connectdesk-pragma-');
    const db = createDb({ client: 'sqlite', filename: `${dir}/check.sqlite` });
    try {
      const [mode] = await db.raw<{ journal_mode: string }[]>('PRAGMA journal_mode');
      const [sync] = await db.raw<{ synchronous: number }[]>('PRAGMA synchronous');
      expect(mode!.journal_mode).toBe('wal');
      expect(sync!.synchronous).toBe(2); // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('durability: kill -9 right after the answer', () => {
  let sandbox: SandboxProcess;
  let server: ServerProcess;
  let conversationId: string;
  const visitorAcked: Answered[] = [];
  const webhooksAnswered: Delivery[] = [];
  const repliesAccepted: Answered[] = [];
  let onDisk: { webhookBodies: string; outbox: { message_id: string; status: string }[] };

  async function whatsappConversations(): Promise<Map<string, Conversation>> {
    const out = new Map<string, Conversation>();
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const r = await server.admin(`/admin/api/conversations?channel=whatsapp&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      for (const c of r.body.data as Conversation[]) if (c.contact.wa_id) out.set(c.contact.wa_id, c);
      cursor = r.body.next_cursor;
      if (!cursor) break;
    }
    return out;
  }

  async function messagesOf(id: string): Promise<Message[]> {
    const r = await server.admin(`/admin/api/conversations/${id}/messages?limit=200`);
    expect(r.status).toBe(200);
    return r.body.data;
  }

  beforeAll(async () => {
    const serverPort = await freePort();
    sandbox = await SandboxProcess.create({ webhookUrl: `http://127.0.0.1:${serverPort}/api/whatsapp/webhook` });
    await sandbox.start();
    // A short lease, so a send cut off by the kill is taken up again soon after the restart.
    server = await ServerProcess.create({
      port: serverPort,
      env: { WHATSAPP_GRAPH_URL: sandbox.graphUrl, WHATSAPP_TIMEOUT_MS: '1000', OUTBOX_LEASE_MS: '3000' },
    });
    await server.start();

    // A customer writes from a simulated phone (open window); two replies go out normally.
    await sandbox.phoneSends(CUSTOMER, { type: 'text', text: { body: 'Hello, is my order on its way?' } });
    conversationId = (await waitFor(async () => (await whatsappConversations()).get(CUSTOMER), { timeout: 30_000, message: 'the customer conversation' })).id;
    const reply = (text: string) => server.admin(`/admin/api/conversations/${conversationId}/messages`, { body: { message_type: 'text', text } });
    for (const text of ['before the crash 1', 'before the crash 2']) expect((await reply(text)).status).toBe(201);
    await waitFor(async () => (await sandbox.inbox(CUSTOMER)).filter((m) => m.text?.startsWith('before the crash')).length === 2, {
      timeout: 20_000,
      message: 'the first replies',
    });

    // From now on every Cloud API call fails, so no reply can reach the phone before the kill.
    await sandbox.fault('http_500', 10_000);

    const firstAnswer = { socket: false, http: false, webhook: false, reply: false };
    const answered = (kind: keyof typeof firstAnswer) => {
      firstAnswer[kind] = true;
      if (Object.values(firstAnswer).every(Boolean)) server.kill9Now();
    };
    const socket = await server.visitorSocket();
    const socketSends = Array.from({ length: 12 }, (_, i) => {
      const text = `durable socket message ${i}`;
      return new Promise<void>((resolve) => {
        socket.emit('message:send', { text, client_id: `c-${i}` }, (ack: { ok: boolean; message?: { id: string } }) => {
          if (ack.ok) {
            visitorAcked.push({ id: ack.message!.id, text });
            answered('socket');
          }
          resolve();
        });
        socket.once('disconnect', () => resolve());
      });
    });
    const httpPosts = Array.from({ length: 6 }, async (_, i) => {
      const text = `durable http message ${i}`;
      const res = await server
        .fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })
        .catch(() => null);
      if (res?.status !== 201) return;
      visitorAcked.push({ id: ((await res.json()) as { message_id: string }).message_id, text });
      answered('http');
    });
    const webhooks = Array.from({ length: 30 }, async (_, i) => {
      const d = { waId: `4915200000${String(i).padStart(3, '0')}`, wamid: `wamid.durable-${i}-${Date.now()}`, text: `webhook message ${i}` };
      const res = await server.webhook(textWebhook(d)).catch(() => null);
      if (res?.status !== 200) return;
      webhooksAnswered.push(d);
      answered('webhook');
    });
    const replies = Array.from({ length: 6 }, async (_, i) => {
      const text = `accepted reply ${i}`;
      const res = await reply(text).catch(() => null);
      if (res?.status !== 201) return;
      repliesAccepted.push({ id: res.body.message.id, text });
      answered('reply');
    });
    await Promise.all([...socketSends, ...httpPosts, ...webhooks, ...replies]);
    server.kill9Now(); // in case every request finished before the last kind's first answer
    await server.exited();

    onDisk = await withDatabase(server.dataDir, async (db) => ({
      webhookBodies: (await db('webhook_events').select('raw_body')).map((r: { raw_body: string }) => r.raw_body).join('\n'),
      outbox: await db('outbox').where({ kind: 'message' }).select('message_id', 'status'),
    }));

    await server.start();
    await sandbox.clearFaults();
  });

  afterAll(async () => {
    await server?.dispose();
    await sandbox?.dispose();
  });

  it('every visitor message acked over the socket or answered 201 over HTTP is stored', async () => {
    expect(visitorAcked.length).toBeGreaterThan(0);
    const r = await server.admin('/admin/api/conversations?channel=web&limit=100');
    expect(r.status).toBe(200);
    const stored = new Map<string, string>();
    for (const c of r.body.data as Conversation[]) for (const m of await messagesOf(c.id)) stored.set(m.id, m.text);
    for (const a of visitorAcked) expect(stored.get(a.id), `acked message ${a.id}`).toBe(a.text);
  });

  it('every webhook answered 200 was stored before its 200 and is applied after the restart', async () => {
    expect(webhooksAnswered.length).toBeGreaterThan(0);
    for (const d of webhooksAnswered) expect(onDisk.webhookBodies, `raw delivery of ${d.wamid}`).toContain(d.wamid);
    const conversations = await waitFor(
      async () => {
        const all = await whatsappConversations();
        return webhooksAnswered.every((d) => all.has(d.waId)) ? all : null;
      },
      { timeout: 45_000, interval: 250, message: 'every webhook answered 200 applied after the restart' },
    );
    for (const d of webhooksAnswered) {
      const messages = await messagesOf(conversations.get(d.waId)!.id);
      expect(messages.filter((m) => m.wamid === d.wamid).map((m) => m.text)).toEqual([d.text]);
    }
  });

  it('every agent reply answered 201 was in the outbox at the kill and reaches the phone exactly once', async () => {
    expect(repliesAccepted.length).toBeGreaterThan(0);
    const queued = onDisk.outbox.filter((o) => repliesAccepted.some((a) => a.id === o.message_id));
    expect(queued.map((o) => o.message_id).sort()).toEqual(repliesAccepted.map((a) => a.id).sort());
    expect(queued.every((o) => o.status === 'pending')).toBe(true);

    const inbox = await waitFor(
      async () => {
        const all = await sandbox.inbox(CUSTOMER);
        return repliesAccepted.every((a) => all.some((m) => m.text === a.text)) ? all : null;
      },
      { timeout: 45_000, interval: 250, message: 'every accepted reply on the phone' },
    );
    const copies = (items: InboxItem[], text: string) => items.filter((m) => m.text === text).length;
    // The replies sent before the crash are not sent again; the accepted ones arrive once each.
    for (const text of ['before the crash 1', 'before the crash 2', ...repliesAccepted.map((a) => a.text)]) expect(copies(inbox, text), text).toBe(1);
    const messages = await waitFor(
      async () => {
        const all = await messagesOf(conversationId);
        return repliesAccepted.every((a) => all.find((m) => m.id === a.id)?.wamid) ? all : null;
      },
      { message: 'every accepted reply marked sent with its wamid' },
    );
    for (const a of repliesAccepted) expect(messages.find((m) => m.id === a.id)!.wamid).toBe(inbox.find((m) => m.text === a.text)!.wamid);
  });
});
