/**
 * Statements of one transaction that do not depend on each other, sent to the connection at once:
 * the caller waits for the connection once instead of once per statement (on SQLite each statement
 * is a trip to the thread pool and back through the event loop; the connection is the one every
 * transaction queues for, so fewer waits per job is more jobs a second). Each statement still runs
 * whole and alone — the driver serializes them on the connection — in an order that is not
 * promised, so use it only for statements whose order does not matter.
 *
 * On PostgreSQL they run one after another: node-postgres answers one query at a time per
 * connection anyway (so nothing is lost), and a second `client.query()` while one is running is
 * deprecated there and goes away in pg 9.
 *
 * Unlike `Promise.all`, it settles only when every statement started has: a caller that rolls back
 * on an error must not do so while a sibling statement is still running.
 */
import type { Knex } from 'knex';
import { dialectOf } from './dialect.ts';

type Work<T extends readonly unknown[]> = { [K in keyof T]: () => Promise<T[K]> };

export async function together<T extends readonly unknown[]>(db: Knex, ...work: Work<T>): Promise<T> {
  if (!dialectOf(db).sendsTogether) {
    const results: unknown[] = [];
    for (const w of work) results.push(await w());
    return results as unknown as T;
  }
  const settled = await Promise.allSettled(work.map((w) => w()));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
