/**
 * SQLite group commit, on its own: 20 lanes of small jobs (insert, read back, update: the shape of
 * a visitor's message) through server/src/db/sqlite/group-commit.ts on a fresh database file,
 * against a baseline in the same run: the same batching with each job in knex's own nested
 * transaction (`trx.transaction`), as the group commit did until 2026-12-06. Both commit with
 * synchronous=FULL; they differ only in what isolating a job costs.
 * Runs alternate (baseline, ours, baseline, ours, ...); the median of each is reported. In-process:
 * CPU is this process's own (user + system), per job.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../server/src/db/knex.ts';
import { createSqliteGroupCommit } from '../server/src/db/sqlite/group-commit.ts';
import type { BenchContext } from './lib/context.ts';
import { figure, type Figure } from './lib/report.ts';
import { median } from './lib/stats.ts';

const BENCH = 'group-commit';
const LANES = 20;

type Transact = <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;

/**
 * The baseline: the group commit as it was before 2026-12-06 — the same batching (a lone job runs
 * as it is; late arrivals join for up to 10 ms and 200 jobs) with each joining job in knex's nested
 * transaction. Only how a job is isolated differs from server/src/db/sqlite/group-commit.ts.
 */
function knexNested(db: Knex): Transact {
  type Job = { fn: (trx: Knex.Transaction) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  const queue: Job[] = [];
  let draining = false;
  const runBatch = async () => {
    const jobs = queue.splice(0, 200);
    const outcomes: { ok: boolean; v: unknown }[] = [];
    const began = performance.now();
    try {
      await db.transaction(async (trx) => {
        let round = jobs.slice();
        if (round.length === 1) {
          outcomes.push({ ok: true, v: await round[0]!.fn(trx) });
          round = [];
        }
        for (;;) {
          for (const job of round)
            outcomes.push(
              await trx
                .transaction((sp) => job.fn(sp))
                .then(
                  (v) => ({ ok: true, v }),
                  (v: unknown) => ({ ok: false, v }),
                ),
            );
          if (queue.length === 0 || jobs.length >= 200 || performance.now() - began >= 10) break;
          round = queue.splice(0, 200 - jobs.length);
          jobs.push(...round);
        }
      });
    } catch (err) {
      for (const job of jobs) job.reject(err);
      return;
    }
    jobs.forEach((job, i) => (outcomes[i]!.ok ? job.resolve(outcomes[i]!.v) : job.reject(outcomes[i]!.v)));
  };
  const drain = async () => {
    draining = true;
    while (queue.length) await runBatch();
    draining = false;
  };
  return <T>(fn: (trx: Knex.Transaction) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!draining) void drain();
    });
}

async function run(kind: 'ours' | 'baseline', jobs: number): Promise<{ perSecond: number; cpuUs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-bench-gc-'));
  const db = createDb({ client: 'sqlite', filename: path.join(dir, 'db.sqlite') });
  try {
    await db.schema.createTable('t', (t) => {
      t.string('id').primary();
      t.text('body');
      t.integer('n');
    });
    const tx: Transact = kind === 'ours' ? createSqliteGroupCommit(db) : knexNested(db);
    let next = 0;
    const lane = async () => {
      while (next < jobs) {
        const id = `job-${next++}`;
        await tx(async (trx) => {
          await trx('t').insert({ id, body: 'x'.repeat(200), n: 0 });
          await trx('t').where({ id }).first();
          await trx('t').where({ id }).update({ n: 1 });
        });
      }
    };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: LANES }, lane));
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { perSecond: (jobs / ms) * 1000, cpuUs: (cpu.user + cpu.system) / jobs };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function groupCommit(ctx: BenchContext): Promise<Figure[]> {
  const jobs = ctx.quick ? 2_000 : 10_000;
  const rounds = ctx.quick ? 1 : 3;
  await run('ours', 1_000); // warm both code paths
  await run('baseline', 1_000);
  const ours: { perSecond: number; cpuUs: number }[] = [];
  const base: { perSecond: number; cpuUs: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    base.push(await run('baseline', jobs));
    ours.push(await run('ours', jobs));
    ctx.log(
      `group-commit: round ${i + 1}: knex nested ${Math.round(base.at(-1)!.perSecond)}/s (${Math.round(base.at(-1)!.cpuUs)} µs CPU/job), ours ${Math.round(ours.at(-1)!.perSecond)}/s (${Math.round(ours.at(-1)!.cpuUs)} µs CPU/job)`,
    );
  }
  const note = `${LANES} lanes × ${jobs} jobs (insert, read, update), median of ${rounds} alternating runs`;
  return [
    figure({
      bench: BENCH,
      name: 'jobs committed per second',
      value: median(ours.map((r) => r.perSecond)),
      unit: '/s',
      baseline: median(base.map((r) => r.perSecond)),
      target: '',
      pass: null,
      note,
    }),
    figure({
      bench: BENCH,
      name: 'process CPU per job',
      value: median(ours.map((r) => r.cpuUs)),
      unit: 'µs',
      baseline: median(base.map((r) => r.cpuUs)),
      target: '',
      pass: null,
    }),
  ];
}
