/**
 * Reports on a year of 1,000,000 messages, on SQLite and on PostgreSQL: the year is bulk-inserted
 * with the report triggers off, the rollups rebuilt (what the migration does for an existing
 * database), the triggers put back, and a server started on it. Then every report is timed over
 * HTTP (server time from Server-Timing) for four views: the whole year; the year on WhatsApp in
 * New York time; the year of one agent in Lisbon time; the last 30 days in Kolkata time. Target:
 * ≤ 200 ms for each report in every view. Also measured: what the triggers add to a message insert.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the
 * server; a database of its own is created and dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb, migrate } from '../server/src/db/knex.ts';
import { createCycleTriggers, dropCycleTriggers } from '../server/src/db/rollups/cycle-triggers.ts';
import { rebuildRollups } from '../server/src/db/rollups/rebuild.ts';
import { createRollupTriggers, dropRollupTriggers } from '../server/src/db/rollups/rollup-triggers.ts';
import type { BenchContext } from './lib/context.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { REPORT_SEED_END, seedReportYear, type ReportSeedResult } from './lib/report-seed.ts';
import { hashPassword } from '../server/src/auth/passwords.ts';
import { adminRequest, BENCH_ADMIN, signIn, startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { ulidAt } from './lib/seed.ts';

const BENCH = 'reports';
const TARGET_MS = 200;
const REPORTS = ['volume', 'response-times', 'agents', 'whatsapp', 'owner-phone', 'satisfaction', 'satisfaction/comments'];

interface Target {
  dialect: 'sqlite' | 'pg';
  db: Knex;
  env: Record<string, string>;
  dataDir: string;
  dispose(): Promise<void>;
}

async function sqliteTarget(ctx: BenchContext): Promise<Target> {
  const dataDir = path.join(ctx.outDir, 'reports-sqlite');
  fs.mkdirSync(dataDir, { recursive: true });
  const db = createDb({ client: 'sqlite', filename: path.join(dataDir, 'connectdesk.sqlite') });
  return { dialect: 'sqlite', db, env: {}, dataDir, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

async function pgTarget(ctx: BenchContext): Promise<Target> {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `cd_bench_reports_${Date.now()}`;
  const admin = createDb({ client: 'pg', connectionString: base });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const dataDir = path.join(ctx.outDir, 'reports-pg');
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    dialect: 'pg',
    db: createDb({ client: 'pg', connectionString: url.toString() }),
    env: { DATABASE_URL: url.toString() },
    dataDir,
    async dispose() {
      const again = createDb({ client: 'pg', connectionString: base });
      try {
        await again.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.destroy();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** µs per message insert that the triggers add: the same 5,000 inserts with and without them (rolled back). */
async function triggerCost(db: Knex, conversationId: string, agent: string): Promise<number> {
  const insertMany = async () => {
    const t0 = performance.now();
    await db
      .transaction(async (trx) => {
        for (let i = 0; i < 5_000; i++) {
          await trx('messages').insert({
            id: ulidAt(REPORT_SEED_END - 1000 + i),
            conversation_id: conversationId,
            direction: 'outbound',
            sender: 'agent',
            author_id: agent,
            type: 'text',
            body: 'x',
            status: 'sent',
            is_note: false,
            created_at: REPORT_SEED_END - 1000 + i,
          });
        }
        throw new Error('rollback');
      })
      .catch((err: Error) => {
        if (err.message !== 'rollback') throw err;
      });
    return (performance.now() - t0) / 5_000;
  };
  await insertMany(); // warm
  const withTriggers = await insertMany();
  await dropRollupTriggers(db);
  await dropCycleTriggers(db);
  const without = await insertMany();
  await createCycleTriggers(db);
  await createRollupTriggers(db);
  return (withTriggers - without) * 1000;
}

async function prepare(
  ctx: BenchContext,
  target: Target,
  messages: number,
): Promise<{ seeded: ReportSeedResult; seedMs: number; rebuildMs: number; triggerUs: number }> {
  const { db } = target;
  await migrate(db);
  if (target.dialect === 'sqlite') await db.raw('PRAGMA synchronous = OFF'); // seeding only: the file is disposable
  await dropRollupTriggers(db);
  await dropCycleTriggers(db);
  const t0 = performance.now();
  const seeded = await seedReportYear(db, { messages, log: ctx.log });
  const seedMs = performance.now() - t0;
  if (target.dialect === 'pg') await db.raw(`SELECT setval(pg_get_serial_sequence('conversation_cycles', 'id'), (SELECT max(id) FROM conversation_cycles))`);
  const t1 = performance.now();
  await rebuildRollups(db);
  const rebuildMs = performance.now() - t1;
  await createCycleTriggers(db);
  await createRollupTriggers(db);
  await db('settings').insert({ key: 'report_durations_basis', value: JSON.stringify('wall-clock'), updated_at: Date.now() });
  // The seeded agents mean the server creates no first admin: the bench signs in as this one.
  await db('users').insert({
    id: ulidAt(Date.now()),
    email: BENCH_ADMIN.email,
    name: 'Bench admin',
    password_hash: await hashPassword(BENCH_ADMIN.password),
    role: 'admin',
    created_at: Date.now(),
  });
  await db.raw(target.dialect === 'pg' ? 'VACUUM ANALYZE' : 'ANALYZE');
  const one = (await db<{ id: string }>('conversations').first('id'))!;
  const triggerUs = await triggerCost(db, one.id, seeded.agents[0]!);
  return { seeded, seedMs, rebuildMs, triggerUs };
}

const VIEWS = (agent: string) => {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const year = { from: day(REPORT_SEED_END - 365 * 86_400_000), to: day(REPORT_SEED_END - 86_400_000) };
  return [
    { name: 'year', query: { ...year, tz: 'UTC' } },
    { name: 'year, WhatsApp, New York', query: { ...year, tz: 'America/New_York', channel: 'whatsapp' } },
    { name: 'year, one agent, Lisbon', query: { ...year, tz: 'Europe/Lisbon', agent_id: agent } },
    { name: '30 days, Kolkata', query: { from: day(REPORT_SEED_END - 30 * 86_400_000), to: year.to, tz: 'Asia/Kolkata' } },
  ];
};

async function timeReports(ctx: BenchContext, target: Target, agent: string): Promise<Figure[]> {
  const server = await startServer({ name: `reports-${target.dialect}`, logDir: ctx.outDir, dataDir: target.dataDir, env: target.env });
  const figures: Figure[] = [];
  try {
    const cookie = await signIn(server.url);
    const runs = ctx.quick ? 2 : 5;
    for (const report of REPORTS) {
      const perView: string[] = [];
      let worst = 0;
      for (const view of VIEWS(agent)) {
        const path = `/admin/api/reports/${report}?${new URLSearchParams(view.query as Record<string, string>).toString()}`;
        const first = await adminRequest(server.url, cookie, path);
        if (first.status !== 200) throw new Error(`${path} answered ${first.status}: ${JSON.stringify(first.body).slice(0, 300)}`);
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const r = await adminRequest(server.url, cookie, path);
          times.push(Number(/dur=([\d.]+)/.exec(r.headers.get('server-timing') ?? '')?.[1] ?? r.ms));
        }
        const s = summarize(times);
        worst = Math.max(worst, s.p50);
        perView.push(`${view.name} ${fmtMs(s.p50)} (first ${fmtMs(first.ms)})`);
      }
      ctx.log(`reports [${target.dialect}] ${report}: ${perView.join('; ')} ms`);
      figures.push(
        figure({
          bench: BENCH,
          name: `${target.dialect}: ${report} (slowest view, p50)`,
          value: worst,
          unit: 'ms',
          target: `≤ ${TARGET_MS} ms`,
          pass: atMost(worst, TARGET_MS),
          note: `${runs} runs per view, server time: ${perView.join('; ')} ms`,
        }),
      );
    }
  } finally {
    await server.stop();
  }
  return figures;
}

export async function reports(ctx: BenchContext): Promise<Figure[]> {
  const messages = ctx.quick ? 100_000 : 1_000_000;
  const figures: Figure[] = [];
  for (const open of [sqliteTarget, pgTarget]) {
    let target: Target;
    try {
      target = await open(ctx);
    } catch (err) {
      figures.push(
        figure({
          bench: BENCH,
          name: `${open === pgTarget ? 'pg' : 'sqlite'}: reports`,
          value: null,
          unit: 'ms',
          target: `≤ ${TARGET_MS} ms`,
          pass: null,
          note: `database not available: ${(err as Error).message}`,
        }),
      );
      continue;
    }
    try {
      ctx.log(`reports [${target.dialect}]: seeding a year of ${messages} messages`);
      const p = await prepare(ctx, target, messages);
      const counts = `${p.seeded.conversations} conversations, ${p.seeded.cycles} cycles, ${p.seeded.forwards} forwards, ${p.seeded.surveys} surveys`;
      ctx.log(
        `reports [${target.dialect}]: seeded in ${(p.seedMs / 1000).toFixed(0)} s (${counts}); rollups rebuilt in ${(p.rebuildMs / 1000).toFixed(1)} s; triggers add ${p.triggerUs.toFixed(0)} µs per message insert`,
      );
      await target.db.destroy();
      figures.push(
        figure({
          bench: BENCH,
          name: `${target.dialect}: rollup rebuild (migration backfill) for ${messages} messages`,
          value: p.rebuildMs / 1000,
          unit: 's',
          target: '',
          pass: null,
          note: counts,
        }),
        figure({
          bench: BENCH,
          name: `${target.dialect}: what the report triggers add to one message insert`,
          value: p.triggerUs,
          unit: 'µs',
          target: '',
          pass: null,
        }),
        ...(await timeReports(ctx, target, p.seeded.agents[0]!)),
      );
    } finally {
      await target.db.destroy().catch(() => {});
      await target.dispose();
    }
  }
  return figures;
}
