/**
 * The report storage on PostgreSQL and SQLite alike (describe.each): the migration backfills data
 * from before it and goes down cleanly; the triggers keep the rollups equal to a rebuild; and
 * every report query answers the same figures on both databases, equal to the ones computed
 * independently from the seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessHoursSchema, type WhatsAppRates } from '@connectdesk/shared';
import { createDb, migrate, type Db as Knex } from '../../server/src/db/knex.ts';
import { migrationSource } from '../../server/src/db/migrations/index.ts';
import { SettingsRepo } from '../../server/src/db/repos/settings-repo.ts';
import { SurveysRepo } from '../../server/src/db/repos/surveys-repo.ts';
import { rebuildRollups } from '../../server/src/db/rollups/rebuild.ts';
import { newId } from '../../server/src/ids.ts';
import { CycleDurations } from '../../server/src/reports/cycle-durations.ts';
import { ReportsService } from '../../server/src/reports/reports-service.ts';
import { agentDayLines, rollupSnapshot, writeRollupScenario } from '../../server/test-support/rollup-scenario.ts';
import { expectedResponseTimes, expectedVolume, expectedWhatsApp, type Query } from '../support/report-expect.ts';
import { seedReports } from '../support/report-seed.ts';
import { createTestDatabase } from '../support/pg.ts';
import { tempDir } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RATES: WhatsAppRates = { currency: 'USD', rates: [{ country: '*', category: 'marketing', price: 0.025 }] };
const REPORTS_MIGRATION = '20261210000000_reports_satisfaction';

async function sqlite(): Promise<{ db: Knex; dispose(): Promise<void> }> {
  const dir = tempDir('connectdesk-reports-');
  const db = createDb({ client: 'sqlite', filename: path.join(dir, 'db.sqlite') });
  return { db, dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function postgres(): Promise<{ db: Knex; dispose(): Promise<void> }> {
  const database = await createTestDatabase(PG_URL);
  const db = createDb({ client: 'pg', connectionString: database.url });
  return { db, dispose: () => database.drop() };
}

function reportsOn(db: Knex, agents: string[]): ReportsService {
  const settings = new SettingsRepo(db);
  const businessHours = async () => BusinessHoursSchema.parse({ enabled: false });
  return new ReportsService({
    db,
    surveys: new SurveysRepo(db),
    businessHours,
    durations: new CycleDurations({ db, businessHours, basis: settings.text('report_durations_basis') }),
    rates: async () => RATES,
    agents: async () => agents.map((id) => ({ id, name: id })),
  });
}

const figures: Record<string, unknown>[] = [];

describe.each([
  ['sqlite', sqlite],
  ['postgres', postgres],
] as const)('reports storage on %s', (dialect, open) => {
  let store: { db: Knex; dispose(): Promise<void> };
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.db.destroy();
    await store.dispose();
  });

  it('the migration backfills cycles and rollups from existing rows, and goes down and up again', async () => {
    const { db } = store;
    const all = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    for (const name of all.slice(0, all.indexOf(REPORTS_MIGRATION))) await db.migrate.up({ migrationSource, name });
    const t = Date.UTC(2026, 0, 5, 10, 0);
    const [contact, conversation, agent] = [newId(), newId(), newId()];
    await db('users').insert({ id: agent, email: 'old@example.com', name: 'Old', password_hash: 'x', role: 'agent', created_at: t });
    await db('contacts').insert({ id: contact, created_at: t, updated_at: t });
    await db('conversations').insert({
      id: conversation,
      channel: 'web',
      contact_id: contact,
      status: 'resolved',
      last_message_at: t,
      created_at: t,
      updated_at: t + 3_600_000,
    });
    await db('messages').insert([
      { id: newId(), conversation_id: conversation, direction: 'inbound', sender: 'visitor', type: 'text', body: 'a', status: 'read', created_at: t },
      {
        id: newId(),
        conversation_id: conversation,
        direction: 'outbound',
        sender: 'agent',
        author_id: agent,
        type: 'text',
        body: 'b',
        status: 'sent',
        created_at: t + 1_200_000,
      },
    ]);
    await migrate(db);
    expect(await db('conversation_cycles').first()).toMatchObject({
      conversation_id: conversation,
      agent_id: agent,
      first_response_at: t + 1_200_000,
      resolved_at: t + 3_600_000,
    });
    const backfilled = await rollupSnapshot(db);
    expect(backfilled.filter((l) => l.startsWith('|'))).toEqual(
      // 15-minute slots: the reply at 10:20 counts in the 10:15 slot.
      [
        `|${t}|web|msg_in=1`,
        `|${t + 900_000}|web|msg_out=1`,
        `|${t}|web|opened=1`,
        `|${t + 900_000}|web|responded=1`,
        `|${t + 3_600_000}|web|resolved=1`,
      ].sort(),
    );
    const agentDays = await db('report_agent_days').select('agent_id', 'day', 'channel', 'msg_out');
    expect(agentDays.map((r) => ({ ...r, day: Number(r.day), msg_out: Number(r.msg_out) })).filter((r) => r.msg_out !== 0)).toEqual([
      { agent_id: agent, day: Date.UTC(2026, 0, 5), channel: 'web', msg_out: 1 },
    ]);
    for (let n = all.length - all.indexOf(REPORTS_MIGRATION); n > 0; n--) await db.migrate.down({ migrationSource });
    expect(await db.schema.hasTable('report_agent_days')).toBe(false);
    expect(await db.schema.hasTable('report_slots')).toBe(false);
    expect(await db.schema.hasColumn('messages', 'pricing_category')).toBe(false);
    await migrate(db);
    expect(await rollupSnapshot(db)).toEqual(backfilled);
    await db('messages').delete();
    await db('conversations').delete();
    await db('report_slots').delete();
    await db('report_agent_days').delete();
  });

  it('triggers keep the rollups equal to a rebuild from the rows', async () => {
    const { db } = store;
    await writeRollupScenario(db);
    const kept = (await rollupSnapshot(db)).filter((l) => l.startsWith('|'));
    expect(kept.length).toBeGreaterThan(20);
    const days = await agentDayLines(db);
    expect(days.stored.length).toBeGreaterThan(5);
    expect(days.stored).toEqual(days.fromSlots);
    await rebuildRollups(db);
    expect((await rollupSnapshot(db)).filter((l) => l.startsWith('|'))).toEqual(kept);
    const rebuilt = await agentDayLines(db);
    expect(rebuilt.stored).toEqual(rebuilt.fromSlots);
    for (const table of [
      'satisfaction_surveys',
      'messages',
      'forwards',
      'conversations',
      'contacts',
      'templates',
      'users',
      'report_slots',
      'report_agent_days',
      'report_slot_keys',
    ])
      await db(table).delete();
  });

  it('report queries: the seeded figures, the same on both databases', async () => {
    const { db } = store;
    const agents = ['01JAGENTAAAAAAAAAAAAAAAAAA', '01JAGENTBBBBBBBBBBBBBBBBBB'];
    for (const id of agents) await db('users').insert({ id, email: `${id}@example.com`, name: id, password_hash: 'x', role: 'agent', created_at: 1 });
    const seed = await seedReports(db, agents, { seed: 11 });
    const reports = reportsOn(db, agents);
    const q: Query = { from: '2026-03-02', to: '2026-04-06', tz: 'America/Sao_Paulo' };
    const scope = { query: { from: q.from, to: q.to, tz: q.tz }, agentId: null };
    const volume = await reports.volume(scope);
    expect(volume.daily).toEqual(expectedVolume(seed, q).daily);
    const times = await reports.responseTimes({ ...scope, query: { ...scope.query, channel: 'whatsapp' } });
    const want = expectedResponseTimes(seed, { ...q, channel: 'whatsapp' });
    expect(times.first_response).toEqual(want.first_response);
    expect(times.resolution).toEqual(want.resolution);
    const wa = await reports.whatsapp(scope);
    expect(wa.messages).toEqual(expectedWhatsApp(seed, q, RATES.rates).messages);
    const byAgent = await reports.agents({ ...scope, agentId: agents[1]! });
    figures.push({ dialect, volume, times, wa, byAgent, satisfaction: await reports.satisfaction(scope), owner: await reports.ownerPhone(scope) });
    if (figures.length === 2) expect({ ...figures[1], dialect: 'either' }).toEqual({ ...figures[0], dialect: 'either' });
  });
});
