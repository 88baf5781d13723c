/**
 * The storage layer against real PostgreSQL and SQLite alike (describe.each): migrations both
 * ways, bigint columns as numbers, wamid dedupe under concurrent inserts, keyset pagination order,
 * LIKE escaping, and the lease claims that let several nodes share the outbox and webhook queue.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, isMigrated, migrate, type Db as Knex } from '../../server/src/db/knex.ts';
import { migrationSource } from '../../server/src/db/migrations/index.ts';
import { ContactsRepo } from '../../server/src/db/repos/contacts-repo.ts';
import { MediaRepo } from '../../server/src/db/repos/media-repo.ts';
import { ConversationsRepo, type ConversationWithContact } from '../../server/src/db/repos/conversations-repo.ts';
import { MessagesRepo } from '../../server/src/db/repos/messages-repo.ts';
import { messagesJson } from '../../server/src/presentation/message-json.ts';
import type { InboundMessage } from '@connectdesk/shared';
import type { ConversationLog } from '../../server/src/conversations/conversation-log.ts';
import { createGroupCommit } from '../../server/src/db/group-commit.ts';
import { InboundBulk } from '../../server/src/whatsapp/inbound-bulk.ts';
import { OutboxRepo } from '../../server/src/db/repos/outbox-repo.ts';
import { WebhookEventsRepo } from '../../server/src/db/repos/webhook-events-repo.ts';
import { WhatsAppNumbersRepo } from '../../server/src/db/repos/whatsapp-numbers-repo.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { tempDir } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Store {
  /** A pool on the database (a second call gives an independent pool: another node). */
  connect(): Knex;
  dispose(): Promise<void>;
}

async function sqliteStore(): Promise<Store> {
  const dir = tempDir('connectdesk-store-');
  const filename = path.join(dir, 'store.sqlite');
  return {
    connect: () => createDb({ client: 'sqlite', filename }),
    async dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgStore(): Promise<Store> {
  const database: TestDatabase = await createTestDatabase(PG_URL);
  return {
    connect: () => createDb({ client: 'pg', connectionString: database.url }),
    dispose: () => database.drop(),
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const TABLES = [
  'users',
  'contacts',
  'conversations',
  'messages',
  'outbox',
  'webhook_events',
  'pending_statuses',
  'owner_windows',
  'owner_queue',
  'owner_messages',
  'owner_state',
];

describe.each([
  ['sqlite', sqliteStore],
  ['postgres', pgStore],
] as const)('store on %s', (dialect, open) => {
  let store: Store;
  let db: Knex;
  const extra: Knex[] = [];
  let contacts: ContactsRepo;
  let conversations: ConversationsRepo;
  let messages: MessagesRepo;

  /** Another node's pool (PostgreSQL); SQLite is one process with one connection by design. */
  const otherNode = (): Knex => {
    if (dialect === 'sqlite') return db;
    const k = store.connect();
    extra.push(k);
    return k;
  };

  beforeAll(async () => {
    store = await open();
    db = store.connect();
    await migrate(db);
    contacts = new ContactsRepo(db);
    conversations = new ConversationsRepo(db);
    messages = new MessagesRepo(db);
  });

  it('seeds the same WhatsApp number from several nodes at once: one row, no error', async () => {
    // Nodes starting together on a fresh database each seed the configured number.
    const phoneNumberId = String(100_000_000_000_000 + Math.floor(Math.random() * 1e9));
    const nodes = [new WhatsAppNumbersRepo(db), new WhatsAppNumbersRepo(otherNode()), new WhatsAppNumbersRepo(otherNode())];
    const seeded = await Promise.all([...nodes, ...nodes].map((repo, i) => repo.upsert(phoneNumberId, { wabaId: `waba-${i % 2}` })));
    expect(new Set(seeded.map((n) => n.id)).size).toBe(1);
    const rows = await db('whatsapp_numbers').where({ phone_number_id: phoneNumberId });
    expect(rows).toHaveLength(1);
    expect(['waba-0', 'waba-1']).toContain(rows[0].waba_id);
  });

  afterAll(async () => {
    for (const k of extra) await k.destroy();
    await db?.destroy();
    await store?.dispose();
  });

  async function newConversation(name = 'Ana'): Promise<string> {
    const contact = await contacts.upsertWhatsApp({ waId: String(15550000000 + Math.floor(Math.random() * 1e6)), userId: null, name });
    return (await conversations.create({ channel: 'whatsapp', contactId: contact.id })).id;
  }

  it('migrates up, all the way down, and up again', async () => {
    expect(await isMigrated(db)).toBe(true);
    for (const t of TABLES) expect(await db.schema.hasTable(t)).toBe(true);
    await db.migrate.rollback({ migrationSource }, true);
    for (const t of TABLES) expect(await db.schema.hasTable(t)).toBe(false);
    expect(await isMigrated(db)).toBe(false);
    await migrate(db);
    expect(await isMigrated(db)).toBe(true);
    for (const t of TABLES) expect(await db.schema.hasTable(t)).toBe(true);
  });

  it('returns bigint columns and counts as numbers, booleans as something bool() reads', async () => {
    const at = Date.UTC(2026, 10, 27, 12, 0, 0, 123);
    const id = await newConversation();
    const row = await messages.insert({
      conversationId: id,
      channel: 'whatsapp',
      direction: 'inbound',
      sender: 'customer',
      type: 'text',
      body: 'hi',
      status: 'received',
      createdAt: at,
      sentAt: at,
    });
    const back = await messages.byId(row.id);
    expect(back!.created_at).toBe(at);
    expect(back!.sent_at).toBe(at);
    const [{ n }] = (await db('messages').where({ id: row.id }).count({ n: '*' })) as [{ n: unknown }];
    expect(n).toBe(1);
    const [json] = await messagesJson(messages, [back!], () => null);
    expect(json).toMatchObject({ is_note: false, created_at: new Date(at).toISOString() });
  });

  it('applies a batch of customer texts with multi-row statements: numbers back as numbers, one conversation each, unread added up', async () => {
    const number = await new WhatsAppNumbersRepo(db).upsert(String(200_000_000_000_000 + Math.floor(Math.random() * 1e9)), {});
    const announced: string[] = [];
    const shown = new Map<string, ConversationWithContact>();
    const log = {
      announceMany: async (rows: { wamid: string | null }[], committed?: Map<string, ConversationWithContact>) => {
        announced.push(...rows.map((r) => r.wamid!));
        for (const [id, c] of committed ?? []) shown.set(id, c);
      },
    } as unknown as ConversationLog;
    const bulk = new InboundBulk({ tx: createGroupCommit(db), contacts, conversations, messages, log });
    const base = 16_660_000_000 + Math.floor(Math.random() * 1e6) * 10;
    const item = (k: number, n: number) => {
      const waId = String(base + k);
      const msg = { from: waId, id: `wamid.bulk.${base}.${n}`, timestamp: '1700000000', type: 'text', text: { body: `message ${n}` } } as InboundMessage;
      return { key: `c:${waId}`, number, msg, sender: { waId, userId: null, name: `Customer ${k}` } };
    };
    const items = Array.from({ length: 150 }, (_, n) => item(n % 60, n));
    const { left } = await bulk.apply(items);
    expect(left.size).toBe(0);
    expect(announced).toHaveLength(150);
    const convs = await db('conversations as v')
      .join('contacts as c', 'c.id', 'v.contact_id')
      .where('c.wa_id', '>=', String(base))
      .andWhere('c.wa_id', '<', String(base + 60))
      .select('v.unread_count', 'v.last_customer_message_at');
    expect(convs).toHaveLength(60);
    expect(convs.reduce((n, c) => n + Number(c.unread_count), 0)).toBe(150);
    expect(convs.every((c) => c.last_customer_message_at === 1_700_000_000_000)).toBe(true);
    // The agents' notice has each conversation as committed, from the touch's RETURNING (only the conversation's columns).
    expect(shown.size).toBe(60);
    for (const [id, c] of shown) {
      expect(c.id).toBe(id);
      expect(c).not.toHaveProperty('preview');
      expect(c.c_name).toMatch(/^Customer \d+$/);
      expect(c.last_customer_message_at).toBe(1_700_000_000_000);
    }
    expect([...shown.values()].reduce((n, c) => n + Number(c.unread_count), 0)).toBe(150);
    // Again (a retried delivery): nothing new.
    await bulk.apply(items);
    expect(Number((await db('messages').where('wamid', 'like', `wamid.bulk.${base}.%`).count({ n: '*' }))[0]!.n)).toBe(150);
  });

  it('links a reply that quoted our message before its wamid was stored, once the wamid is', async () => {
    const id = await newConversation();
    const wamid = `wamid.late.${Math.random().toString(36).slice(2)}`;
    const base = { conversationId: id, channel: 'whatsapp' as const, type: 'text', status: 'received' as const };
    const ours = await messages.insert({ ...base, direction: 'outbound', sender: 'agent', body: 'Which one?', status: 'queued' });
    const reply = await messages.insert({ ...base, direction: 'inbound', sender: 'customer', body: 'The blue one', contextWamid: wamid, wamid: `${wamid}.r` });
    expect((await messages.byId(reply.id))!.context_message_id).toBeNull();
    expect(await messages.linkQuotesOf(wamid, ours.id)).toEqual([reply.id]);
    expect((await messages.byId(reply.id))!.context_message_id).toBe(ours.id);
    expect(await messages.linkQuotesOf(wamid, ours.id)).toEqual([]); // already linked
  });

  it('stores a wamid once when the same webhook message is inserted concurrently', async () => {
    const id = await newConversation();
    const wamid = `wamid.race-${dialect}-${Date.now()}`;
    const nodes = [messages, new MessagesRepo(otherNode()), new MessagesRepo(otherNode())];
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        nodes[i % nodes.length]!.insertOnce({
          conversationId: id,
          channel: 'whatsapp',
          direction: 'inbound',
          sender: 'customer',
          type: 'text',
          body: `copy ${i}`,
          status: 'received',
          wamid,
        }),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await db('messages').where({ wamid }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('pages messages oldest first and conversations newest first with keyset cursors, ties broken by id', async () => {
    const id = await newConversation();
    const base = Date.UTC(2026, 0, 1);
    // Three messages per millisecond: the cursor must break ties by id without skipping or repeating.
    for (let i = 0; i < 23; i++) {
      await messages.insert({
        conversationId: id,
        channel: 'whatsapp',
        direction: 'inbound',
        sender: 'customer',
        type: 'text',
        body: `m${i}`,
        status: 'received',
        createdAt: base + Math.floor(i / 3),
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: Awaited<ReturnType<MessagesRepo['list']>> = await messages.list(id, 5, cursor);
      seen.push(...res.data.map((m) => m.id));
      cursor = res.next_cursor;
      if (!cursor) break;
    }
    const expected = await db<{ id: string; created_at: number; conversation_id: string }>('messages')
      .where({ conversation_id: id })
      .select('id', 'created_at');
    expected.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    expect(seen).toEqual(expected.map((r) => r.id));

    const tag = `pager-${dialect}-${Date.now()}`;
    const convIds: string[] = [];
    for (let i = 0; i < 11; i++) {
      const c = await contacts.createVisitor({ visitorTokenHash: sha256(`${tag}-${i}`), name: `${tag} ${i}` });
      convIds.push((await conversations.create({ channel: 'web', contactId: c.id, at: base + Math.floor(i / 4) })).id);
    }
    const listed: string[] = [];
    cursor = null;
    for (let page = 0; page < 10; page++) {
      const res: Awaited<ReturnType<ConversationsRepo['list']>> = await conversations.list({ q: tag }, 4, cursor);
      listed.push(...res.data.map((c) => c.id));
      cursor = res.next_cursor;
      if (!cursor) break;
    }
    const byRecency = [...convIds].map((cid, i) => ({ cid, at: base + Math.floor(i / 4) }));
    byRecency.sort((a, b) => b.at - a.at || (a.cid < b.cid ? 1 : -1));
    expect(listed).toEqual(byRecency.map((x) => x.cid));
  });

  it("searches names case-insensitively and treats % and _ literally (lower(...) like ... escape '\\')", async () => {
    const tag = `esc${Date.now()}`;
    const names = [`${tag} 50%_Off Shop`, `${tag} 50 percent off`, `${tag} 50X_Off`, `${tag} 50%XOff`];
    const ids: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      const c = await contacts.createVisitor({ visitorTokenHash: sha256(`${tag}-${i}`), name });
      ids[name] = (await conversations.create({ channel: 'web', contactId: c.id })).id;
    }
    const found = async (q: string) => (await conversations.list({ q }, 50)).data.map((c) => c.id).sort();
    expect(await found(`${tag} 50%_off`)).toEqual([ids[names[0]!]]);
    expect(await found(`${tag.toUpperCase()} 50`)).toHaveLength(4);
    expect(await found(`${tag} 50\\`)).toEqual([]);
  });

  it('leases each outbox row to one worker at a time, oldest first per recipient, across nodes', async () => {
    const phone = `pn-${dialect}-${Date.now()}`;
    const t0 = Date.now();
    const enq = new OutboxRepo(db);
    const recipients = Array.from({ length: 6 }, (_, i) => `1555010${String(i).padStart(4, '0')}`);
    const enqueued: { id: string; to: string }[] = [];
    for (let round = 0; round < 4; round++) {
      for (const to of recipients) {
        const row = await enq.enqueue({ kind: 'message', phoneNumberId: phone, toWaId: to, payload: { round }, notBefore: t0 - 1 });
        enqueued.push({ id: row.id, to });
      }
    }
    const workers = [new OutboxRepo(db), new OutboxRepo(otherNode()), new OutboxRepo(otherNode())];
    const sentBy = new Map<string, string>();
    const orderPerRecipient = new Map<string, string[]>();
    // Every round all workers claim at once; what they got is sent (completed) before the next.
    for (let round = 0; round < 50 && sentBy.size < enqueued.length; round++) {
      const claims = await Promise.all(workers.map((w, i) => w.claim(`worker-${i}`, 5, 60_000, t0)));
      const inFlightRecipients = new Set<string>();
      for (const [i, rows] of claims.entries()) {
        for (const r of rows.filter((x) => x.phone_number_id === phone)) {
          expect(sentBy.has(r.id), `row ${r.id} claimed twice`).toBe(false);
          expect(inFlightRecipients.has(r.to_wa_id!), `two rows in flight for ${r.to_wa_id}`).toBe(false);
          inFlightRecipients.add(r.to_wa_id!);
          sentBy.set(r.id, `worker-${i}`);
          orderPerRecipient.set(r.to_wa_id!, [...(orderPerRecipient.get(r.to_wa_id!) ?? []), r.id]);
        }
      }
      for (const [i, rows] of claims.entries()) for (const r of rows) expect(await workers[i]!.complete(r.id, `worker-${i}`)).toBe(true);
    }
    expect(sentBy.size).toBe(enqueued.length);
    for (const to of recipients) expect(orderPerRecipient.get(to)).toEqual(enqueued.filter((e) => e.to === to).map((e) => e.id));
  });

  it("gives a dead worker's row to another once the lease expires, and fences the late finisher", async () => {
    const phone = `pn-lease-${dialect}-${Date.now()}`;
    const t0 = Date.now();
    const a = new OutboxRepo(db);
    const b = new OutboxRepo(otherNode());
    const row = await a.enqueue({ kind: 'message', phoneNumberId: phone, toWaId: '15550200000', payload: {}, notBefore: t0 - 1 });
    const mine = (rows: { id: string }[]) => rows.filter((r) => r.id === row.id);
    expect(mine(await a.claim('node-a', 10, 1_000, t0))).toHaveLength(1);
    expect(mine(await b.claim('node-b', 10, 1_000, t0 + 999))).toHaveLength(0);
    const again = mine(await b.claim('node-b', 10, 1_000, t0 + 1_001));
    expect(again).toHaveLength(1);
    expect(await a.complete(row.id, 'node-a')).toBe(false);
    expect(await b.complete(row.id, 'node-b')).toBe(true);
    expect((await a.byId(row.id))!).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('leases each inbound media download to one node at a time, and fences the late finisher', async () => {
    const t0 = Date.now();
    const a = new MediaRepo(db);
    const b = new MediaRepo(otherNode());
    const rows = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        a.createInbound({ metaMediaId: `meta-${dialect}-${t0}-${i}`, mime: 'image/jpeg', expectedSha256: null, filename: null }),
      ),
    );
    const t = Date.now(); // every row is due by now
    const ours = (claimed: { id: string }[]) => claimed.filter((r) => rows.some((row) => row.id === r.id));
    const [byA, byB] = await Promise.all([a.claimDownloads('node-a', 100, 1_000, t), b.claimDownloads('node-b', 100, 1_000, t)]);
    expect(new Set([...ours(byA), ...ours(byB)].map((r) => r.id)).size).toBe(rows.length);
    expect(ours(await b.claimDownloads('node-b', 100, 1_000, t + 990))).toHaveLength(0);
    const first = ours(byA)[0] ?? ours(byB)[0]!;
    const holder = ours(byA).some((r) => r.id === first.id) ? 'node-a' : 'node-b';
    const again = ours(await b.claimDownloads('node-c', 100, 1_000, t + 1_001));
    expect(again.map((r) => r.id)).toContain(first.id);
    const file = { sha256: 'ab', mime: 'image/jpeg', size: 1, storagePath: 'media/x' };
    expect(await a.markReady(first.id, holder, file)).toBe(false);
    expect(await a.markReady(first.id, 'node-c', file)).toBe(true);
    expect(await a.byId(first.id)).toMatchObject({ status: 'ready', attempts: 2, lease_owner: null });
  });

  it('stores a webhook delivery once when nodes receive it concurrently, and claims each event once', async () => {
    const key = (i: number) => sha256(`dedupe-${dialect}-${Date.now()}-${i}`);
    const keys = Array.from({ length: 10 }, (_, i) => key(i));
    // PostgreSQL: three nodes. SQLite is one process per database file (RELIABILITY.md), so its
    // concurrent receivers share that process's repository.
    const one = new WebhookEventsRepo(db);
    const nodes = dialect === 'postgres' ? [one, new WebhookEventsRepo(otherNode()), new WebhookEventsRepo(otherNode())] : [one, one, one];
    const inserted = await Promise.all(nodes.map((n) => n.insertBatch(keys.map((k) => ({ dedupeKey: k, rawBody: `{"k":"${k}"}` })))));
    expect(inserted.reduce((sum, m) => sum + m.size, 0)).toBe(keys.length);
    // SQLite holds the key in pending_key until the event is claimed (webhook-events-repo.ts).
    expect(await db('webhook_events').whereIn('dedupe_key', keys).orWhereIn('pending_key', keys).count({ n: '*' })).toEqual([{ n: keys.length }]);
    const claimed = (await Promise.all(nodes.map((n) => n.claimDue(100, 60_000)))).flat().filter((r) => keys.includes(r.dedupe_key ?? ''));
    expect(claimed.map((r) => r.dedupe_key).sort()).toEqual([...keys].sort());
  });

  it('keeps the request id with outbox rows and webhook events, and counts what is waiting', async () => {
    const outbox = new OutboxRepo(db);
    const events = new WebhookEventsRepo(db);
    const [outboxBefore, backlogBefore] = await Promise.all([outbox.stats(), events.backlog()]);
    const queued = await outbox.enqueue({ kind: 'notice', phoneNumberId: '100', toWaId: `1555${Date.now() % 1e7}`, payload: {}, requestId: 'Req-1:a.b_c-d' });
    expect((await outbox.byId(queued.id))!.request_id).toBe('Req-1:a.b_c-d');
    const after = await outbox.stats();
    expect(after.pending).toBe(outboxBefore.pending + 1);
    expect(after.oldestPendingAt).toBe(outboxBefore.oldestPendingAt ?? queued.created_at);
    const k = sha256(`request-id-${dialect}-${Date.now()}`);
    const stored = await events.insertBatch([{ dedupeKey: k, rawBody: '{}', requestId: 'x'.repeat(128) }]);
    expect((await events.byId(stored.get(k)!))!.request_id).toBe('x'.repeat(128));
    expect(await events.backlog()).toBe(backlogBefore + 1);
  });
});

describe('several nodes starting at once on a fresh PostgreSQL database', () => {
  it('all migrate without tripping over each other, and the schema is complete once', async () => {
    const database = await createTestDatabase(PG_URL);
    const nodes = Array.from({ length: 4 }, () => createDb({ client: 'pg', connectionString: database.url }));
    try {
      await Promise.all(nodes.map((n) => migrate(n)));
      for (const n of nodes) expect(await isMigrated(n)).toBe(true);
      const applied = await nodes[0]!<{ name: string }>('knex_migrations').select('name');
      expect(applied.map((r) => r.name)).toEqual((await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m)));
    } finally {
      for (const n of nodes) await n.destroy();
      await database.drop();
    }
  });
});
