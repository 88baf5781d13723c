/**
 * Admin API on a big inbox: 100,000 conversations and 1,000,000 messages seeded into a temp
 * SQLite file, then the server started on it and the first pages of GET /admin/api/conversations
 * and GET /admin/api/conversations/:id/messages timed (server time from the Server-Timing header,
 * and the client's round trip). The query plans of the repositories' own SQL are checked too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../server/src/db/knex.ts';
import { ConversationsRepo } from '../server/src/db/repos/conversations-repo.ts';
import { MessagesRepo } from '../server/src/db/repos/messages-repo.ts';
import type { BenchContext } from './lib/context.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { seedInbox } from './lib/seed.ts';
import { adminRequest, signIn, startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';

const BENCH = 'admin-api';
const TARGET_MS = 20;

interface PlanCheck {
  label: string;
  sql: string;
  plan: string[];
  /** Full scans or temp sorts: the signs of a missing index. */
  suspicious: string[];
}

/** Runs `fn` against `db`, capturing the SQL it issues, then EXPLAIN QUERY PLAN for each statement. */
async function explain(db: Knex, label: string, fn: () => Promise<unknown>): Promise<PlanCheck[]> {
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const onQuery = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', onQuery);
  try {
    await fn();
  } finally {
    db.off('query', onQuery);
  }
  const out: PlanCheck[] = [];
  for (const q of seen) {
    if (!/^\s*select/i.test(q.sql)) continue;
    const rows = await db.raw<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${q.sql}`, q.bindings as Knex.RawBinding[]);
    const plan = rows.map((r) => r.detail);
    const suspicious = plan.filter((d) => /^SCAN (?!.*USING (COVERING )?INDEX)/.test(d) || /TEMP B-TREE/.test(d));
    out.push({ label, sql: q.sql, plan, suspicious });
  }
  return out;
}

async function timeRequests(
  n: number,
  fn: () => Promise<{ status: number; headers: Headers; ms: number }>,
): Promise<{ server: number[]; client: number[]; errors: number }> {
  const server: number[] = [];
  const client: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const r = await fn();
    if (r.status !== 200) {
      errors += 1;
      continue;
    }
    client.push(r.ms);
    const dur = /dur=([\d.]+)/.exec(r.headers.get('server-timing') ?? '')?.[1];
    if (dur) server.push(Number(dur));
  }
  return { server, client, errors };
}

export async function adminApi(ctx: BenchContext): Promise<Figure[]> {
  const conversations = ctx.quick ? 10_000 : 100_000;
  const messages = ctx.quick ? 100_000 : 1_000_000;
  const longConversation = ctx.quick ? 5_000 : 20_000;
  const requests = ctx.quick ? 50 : 200;
  const dataDir = path.join(ctx.outDir, 'admin-api-data');
  fs.mkdirSync(dataDir, { recursive: true });
  const filename = path.join(dataDir, 'connectdesk.sqlite');

  ctx.log(`admin-api: seeding ${conversations} conversations and ${messages} messages (one with ${longConversation})`);
  const seeded = await seedInbox({ filename, conversations, messages, longConversation, log: ctx.log });
  ctx.log(`admin-api: seeded in ${(seeded.ms / 1000).toFixed(0)} s (${(fs.statSync(filename).size / 2 ** 20).toFixed(0)} MB)`);

  // Query plans of the repositories' own SQL (first pages, as the routes call them).
  const db = createDb({ client: 'sqlite', filename });
  let plans: PlanCheck[];
  try {
    const conv = new ConversationsRepo(db);
    const msgs = new MessagesRepo(db);
    plans = [
      ...(await explain(db, 'conversations, first page', () => conv.list({}, 30))),
      ...(await explain(db, 'conversations ?status=open', () => conv.list({ status: 'open' }, 30))),
      ...(await explain(db, 'messages, first page', async () => {
        await conv.byId(seeded.longConversationId);
        await msgs.list(seeded.longConversationId, 50, null, { includeNotes: true });
      })),
    ];
  } finally {
    await db.destroy();
  }
  for (const p of plans) {
    ctx.log(`  plan [${p.label}] ${p.sql.slice(0, 140)}${p.sql.length > 140 ? '…' : ''}`);
    for (const d of p.plan) ctx.log(`      ${p.suspicious.includes(d) ? '!! ' : ''}${d}`);
  }
  const badPlans = plans.filter((p) => p.suspicious.length);

  const server = await startServer({ name: 'admin-api-server', logDir: ctx.outDir, dataDir });
  const figures: Figure[] = [];
  try {
    const cookie = await signIn(server.url);
    const endpoints: { name: string; path: string }[] = [
      { name: 'GET conversations (first page)', path: '/admin/api/conversations' },
      { name: 'GET conversations?status=open', path: '/admin/api/conversations?status=open' },
      { name: `GET messages (${longConversation}-message conversation)`, path: `/admin/api/conversations/${seeded.longConversationId}/messages` },
      { name: 'GET messages (typical conversation)', path: `/admin/api/conversations/${seeded.typicalConversationId}/messages` },
    ];
    for (const e of endpoints) {
      const first = await adminRequest<{ data: unknown[] }>(server.url, cookie, e.path);
      if (first.status !== 200 || !Array.isArray(first.body.data) || first.body.data.length === 0) {
        throw new Error(`${e.path} answered ${first.status} with ${JSON.stringify(first.body).slice(0, 200)}`);
      }
      await timeRequests(20, () => adminRequest(server.url, cookie, e.path)); // warm-up
      const t = await timeRequests(requests, () => adminRequest(server.url, cookie, e.path));
      const s = summarize(t.server.length ? t.server : t.client);
      const c = summarize(t.client);
      const source = t.server.length ? 'server time (Server-Timing)' : 'client round trip (no Server-Timing header)';
      ctx.log(
        `admin-api: ${e.name}: ${source} p50 ${fmtMs(s.p50)} ms p99 ${fmtMs(s.p99)} ms; round trip p50 ${fmtMs(c.p50)} ms p99 ${fmtMs(c.p99)} ms; ${first.body.data.length} items; errors ${t.errors}`,
      );
      figures.push(
        figure({ bench: BENCH, name: `${e.name} p50`, value: s.p50, unit: 'ms', target: `≤ ${TARGET_MS} ms`, pass: atMost(s.p50, TARGET_MS) }),
        figure({
          bench: BENCH,
          name: `${e.name} p99`,
          value: s.p99,
          unit: 'ms',
          target: `≤ ${TARGET_MS} ms`,
          pass: t.errors ? false : atMost(s.p99, TARGET_MS),
          note: `${requests} sequential requests; ${source}; client round trip p99 ${fmtMs(c.p99)} ms${t.errors ? `; ${t.errors} errors` : ''}`,
        }),
      );
    }
  } finally {
    await server.stop();
    // The seeded database is ~400 MB; keep only the logs.
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  figures.push(
    figure({
      bench: BENCH,
      name: 'list queries use indexes (EXPLAIN QUERY PLAN)',
      value: plans.length - badPlans.length,
      unit: `of ${plans.length}`,
      target: 'all',
      pass: badPlans.length === 0,
      note: badPlans.length ? badPlans.map((p) => `${p.label}: ${p.suspicious.join('; ')}`).join(' | ') : undefined,
    }),
  );
  return figures;
}
