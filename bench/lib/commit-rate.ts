/**
 * How many durable commits per second this disk gives SQLite as the server configures it (WAL,
 * synchronous=FULL, one connection): one-row transactions back to back. Every design that commits
 * once per message is capped by this number; group commit is how to go past it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../server/src/db/knex.ts';

/** A scratch database configured as the server's; removed by `close()`. */
async function scratchDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-bench-commits-'));
  const db = createDb({ client: 'sqlite', filename: path.join(dir, 'commits.sqlite') });
  await db.schema.createTable('t', (t) => {
    t.increments('id');
    t.text('body');
  });
  return {
    db,
    async close() {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The latency of one durable one-row commit at `perSecond`, open loop: the floor under any figure
 * that waits for a commit (a visitor's message is acknowledged once it is on disk). This disk's
 * fsync has a long tail that moves from minute to minute, so a benchmark reports its p99 beside
 * this one, measured in the same run.
 */
export async function pacedCommitLatency(perSecond: number, durationMs: number): Promise<{ p50Ms: number; p99Ms: number; commits: number }> {
  const scratch = await scratchDb();
  try {
    const times: number[] = [];
    const commits: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i * (1000 / perSecond) < durationMs; i++) {
      const wait = t0 + i * (1000 / perSecond) - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const s = performance.now();
      commits.push(
        scratch.db
          .transaction(async (trx) => {
            await trx('t').insert({ body: 'x'.repeat(200) });
          })
          .then(() => void times.push(performance.now() - s)),
      );
    }
    await Promise.all(commits);
    times.sort((a, b) => a - b);
    return { p50Ms: times[Math.floor(times.length * 0.5)] ?? NaN, p99Ms: times[Math.floor(times.length * 0.99)] ?? NaN, commits: times.length };
  } finally {
    await scratch.close();
  }
}

export async function durableCommitsPerSecond(durationMs: number, maxCommits: number): Promise<{ perSecond: number; commits: number; p99Ms: number }> {
  const { db, close } = await scratchDb();
  try {
    const times: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < durationMs && times.length < maxCommits) {
      const s = performance.now();
      await db.transaction(async (trx) => {
        await trx('t').insert({ body: 'x'.repeat(200) });
      });
      times.push(performance.now() - s);
    }
    const elapsed = performance.now() - t0;
    times.sort((a, b) => a - b);
    return { perSecond: (times.length / elapsed) * 1000, commits: times.length, p99Ms: times[Math.floor(times.length * 0.99)] ?? NaN };
  } finally {
    await close();
  }
}
