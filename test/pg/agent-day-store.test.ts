/**
 * The agent's-day tables on PostgreSQL and SQLite alike: the migration both ways without losing a
 * message, the grouped unread counts, waiting stretches (started by a customer, ended by an answer
 * or by resolving), alerts recorded once per stretch even when two nodes race, leases that let only
 * one node send, and preference upserts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrate, type Db as Knex } from '../../server/src/db/knex.ts';
import { migrationSource } from '../../server/src/db/migrations/index.ts';
import { AgentPreferencesRepo } from '../../server/src/db/repos/agent-preferences-repo.ts';
import { ContactsRepo } from '../../server/src/db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../../server/src/db/repos/conversations-repo.ts';
import { MessagesRepo } from '../../server/src/db/repos/messages-repo.ts';
import { UnansweredAlertsRepo } from '../../server/src/db/repos/unanswered-alerts-repo.ts';
import { countsFor, UnreadCountsRepo } from '../../server/src/db/repos/unread-counts-repo.ts';
import { UsersRepo } from '../../server/src/db/repos/users-repo.ts';
import { createTestDatabase } from '../support/pg.ts';
import { tempDir } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function sqlite() {
  const dir = tempDir('connectdesk-agentday-');
  const filename = path.join(dir, 'store.sqlite');
  return { connect: () => createDb({ client: 'sqlite', filename }), dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}
async function postgres() {
  const database = await createTestDatabase(PG_URL);
  return { connect: () => createDb({ client: 'pg', connectionString: database.url }), dispose: () => database.drop() };
}

describe.each([
  ['sqlite', sqlite],
  ['postgres', postgres],
] as const)('agent-day store on %s', (dialect, open) => {
  let store: Awaited<ReturnType<typeof sqlite>>;
  let db: Knex;
  let conversations: ConversationsRepo;
  let contacts: ContactsRepo;
  let users: UsersRepo;
  beforeAll(async () => {
    store = await open();
    db = store.connect();
    await migrate(db);
    conversations = new ConversationsRepo(db);
    contacts = new ContactsRepo(db);
    users = new UsersRepo(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await store?.dispose();
  });

  let n = 0;
  const newConversation = async () => {
    const contact = await contacts.upsertWhatsApp({ waId: String(447700900000 + ++n), userId: null, name: `C${n}` });
    return (await conversations.create({ channel: 'whatsapp', contactId: contact.id })).id;
  };
  const waiting = async (id: string) => (await conversations.byId(id))!.waiting_since;

  it('starts a waiting stretch at the first customer message and ends it with an answer or by resolving', async () => {
    const id = await newConversation();
    expect(await waiting(id)).toBeNull();
    await conversations.touch(id, { at: 1000, preview: 'hi', inbound: true });
    await conversations.touch(id, { at: 2000, preview: 'hello?', inbound: true });
    expect(Number(await waiting(id))).toBe(1000);
    await conversations.touch(id, { at: 2500, preview: '👍', inbound: false, answered: false }); // a reaction: not an answer
    expect(Number(await waiting(id))).toBe(1000);
    await conversations.touch(id, { at: 3000, preview: 'here', inbound: false });
    expect(await waiting(id)).toBeNull();
    await conversations.touch(id, { at: 4000, preview: 'again', inbound: true });
    expect(Number(await waiting(id))).toBe(4000);
    await conversations.update(id, { status: 'resolved' });
    expect(await waiting(id)).toBeNull();
  });

  it('counts unread open conversations per assignee in one query', async () => {
    const repo = new UnreadCountsRepo(db);
    const ana = await users.create({ email: `ana-${dialect}@example.com`, name: 'Ana', role: 'agent', passwordHash: 'x' });
    const before = countsFor(await repo.byAssignee(), ana.id);
    const mine = await newConversation();
    const free = await newConversation();
    const resolved = await newConversation();
    for (const id of [mine, free, free, resolved]) await conversations.touch(id, { at: Date.now(), preview: 'x', inbound: true });
    await conversations.update(mine, { assignee_id: ana.id });
    await conversations.update(resolved, { status: 'resolved' });
    const after = countsFor(await repo.byAssignee(), ana.id);
    expect(after).toEqual({
      conversations: before.conversations + 2,
      messages: before.messages + 3,
      mine: before.mine + 1,
      unassigned: before.unassigned + 1,
    });
  });

  it('records one alert per stretch even when two nodes race, and lets only one node send it', async () => {
    const id = await newConversation();
    await conversations.touch(id, { at: 5_000, preview: 'anyone?', inbound: true });
    const node1 = new UnansweredAlertsRepo(db);
    const other = store.connect();
    try {
      const node2 = new UnansweredAlertsRepo(other);
      await Promise.all([node1.recordDue(10_000, 100), node2.recordDue(10_000, 100), node1.recordDue(10_000, 100)]);
      const rows = await db('unanswered_alerts').where({ conversation_id: id });
      expect(rows).toHaveLength(1);
      const [a, b] = await Promise.all([node1.claim(100, 60_000), node2.claim(100, 60_000)]);
      const claimed = [...a, ...b].filter((x) => x.conversationId === id);
      expect(claimed).toHaveLength(1);
      // Nothing more is claimable while leased; finishing needs the lease.
      expect((await node1.claim(100, 60_000)).filter((x) => x.conversationId === id)).toEqual([]);
      expect(await node1.finish({ ...claimed[0]!, leaseUntil: 1 }, 'sent')).toBe(false);
      expect(await node1.finish(claimed[0]!, 'sent', { recipients: ['ana@example.com'] })).toBe(true);
      // Recording again for the same stretch adds nothing; a new stretch gets its own row.
      await node1.recordDue(10_000, 100);
      expect(await db('unanswered_alerts').where({ conversation_id: id })).toHaveLength(1);
      await conversations.touch(id, { at: 6_000, preview: 'answer', inbound: false });
      await conversations.touch(id, { at: 7_000, preview: 'again', inbound: true });
      await node1.recordDue(10_000, 100);
      expect((await db('unanswered_alerts').where({ conversation_id: id }).orderBy('waiting_since')).map((r) => Number(r.waiting_since))).toEqual([
        5_000, 7_000,
      ]);
    } finally {
      await other.destroy();
    }
  });

  it('upserts preferences and finds who wants e-mail', async () => {
    const prefs = new AgentPreferencesRepo(db);
    const bo = await users.create({ email: `bo-${dialect}@example.com`, name: 'Bo', role: 'agent', passwordHash: 'x' });
    expect(await prefs.get(bo.id)).toEqual({ desktop: false, sound: false, email: false, away_after_minutes: 10, manualAway: false });
    await prefs.update(bo.id, { email: true });
    await prefs.setManualAway(bo.id, true);
    expect(await prefs.get(bo.id)).toEqual({ desktop: false, sound: false, email: true, away_after_minutes: 10, manualAway: true });
    expect((await prefs.emailRecipients(bo.id)).map((r) => r.email)).toEqual([`bo-${dialect}@example.com`]);
    expect((await prefs.manuallyAway()).has(bo.id)).toBe(true);
    await users.revokeAccess(bo.id, { disable: true });
    expect(await prefs.emailRecipients(bo.id)).toEqual([]);
  });

  it('migrates down past it without losing a message, and up again', async () => {
    const id = await newConversation();
    await new MessagesRepo(db).insert({
      conversationId: id,
      channel: 'whatsapp',
      direction: 'inbound',
      sender: 'customer',
      type: 'text',
      body: 'keep me',
      status: 'received',
      createdAt: Date.now(),
    });
    const count = async () => Number(((await db('messages').count({ n: '*' })) as [{ n: unknown }])[0].n);
    const messages = await count();
    // Down one migration at a time, from the newest to this one.
    const names = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    for (let n = names.length - names.indexOf('20261210000000_agent_notifications'); n > 0; n--) await db.migrate.down({ migrationSource });
    expect(await db.schema.hasTable('agent_preferences')).toBe(false);
    expect(await db.schema.hasTable('unanswered_alerts')).toBe(false);
    expect(await db.schema.hasColumn('conversations', 'waiting_since')).toBe(false);
    expect(await count()).toBe(messages);
    await migrate(db);
    expect(await db.schema.hasColumn('conversations', 'waiting_since')).toBe(true);
    expect(await count()).toBe(messages);
  });
});
