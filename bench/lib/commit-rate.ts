/**
 * How many durable commits per second this disk gives SQLite as the server configures it (WAL,
 * synchronous=FULL, one connection): one-row transactions back to back. Every design that commits
 * once per message is capped by this number; group commit is how to go past it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../server/src/db/knex.ts';

export async function durableCommitsPerSecond(durationMs: number, maxCommits: number): Promise<{ perSecond: number; commits: number; p99Ms: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-bench-commits-'));
  const db = createDb({ client: 'sqlite', filename: path.join(dir, 'commits.sqlite') });
  try {
    await db.schema.createTable('t', (t) => {
      t.increments('id');
      t.text('body');
    });
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
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
