/**
 * Reads the server's SQLite file from the benchmark process (WAL lets a reader in beside the
 * server's writer) to check that what was acknowledged is stored.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex.ts';

export function openServerDb(dataDir: string): Knex {
  return createDb({ client: 'sqlite', filename: path.join(dataDir, 'connectdesk.sqlite') });
}

export async function countMessagesWithWamidPrefix(db: Knex, prefix: string): Promise<number> {
  const row = (await db('messages')
    .where('wamid', '>=', prefix)
    .andWhere('wamid', '<', prefix + '\uffff')
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

export async function storedWamids(db: Knex, prefix: string): Promise<Set<string>> {
  const rows = await db<{ wamid: string }>('messages')
    .where('wamid', '>=', prefix)
    .andWhere('wamid', '<', prefix + '\uffff')
    .select('wamid');
  return new Set(rows.map((r) => r.wamid));
}

export async function countAllMessages(db: Knex): Promise<number> {
  const row = (await db('messages').count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * Polls `count()` until it reaches `expected`, or `timeoutMs` passes, or nothing moves for
 * `stallMs` — "moves" judged by `progress()` (e.g. all messages, so work on an earlier backlog
 * counts as progress too). Returns the last count and how long it took.
 */
export async function waitForCount(
  count: () => Promise<number>,
  expected: number,
  opts: { timeoutMs: number; stallMs: number; progress?: () => Promise<number> },
): Promise<{ n: number; ms: number }> {
  const progress = opts.progress ?? count;
  const t0 = performance.now();
  let n = await count();
  let p = await progress();
  let lastGrowth = performance.now();
  while (n < expected && performance.now() - t0 < opts.timeoutMs && performance.now() - lastGrowth < opts.stallMs) {
    // Each poll is a read transaction on the server's file (two counts over a large table): often
    // enough at first for a short wait to be timed well, then once a second, so the probe itself
    // neither takes CPU from the server nor keeps SQLite from restarting its WAL.
    await new Promise((r) => setTimeout(r, performance.now() - t0 < 2_000 ? 100 : 1_000));
    n = await count();
    const next = await progress();
    if (next > p) lastGrowth = performance.now();
    p = next;
  }
  return { n, ms: performance.now() - t0 };
}
