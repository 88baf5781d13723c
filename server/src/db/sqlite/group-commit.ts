/**
 * Group commit for SQLite (see docs/SQLITE.md). Every commit is fsynced (synchronous=FULL), and one disk does a few
 * hundred fsyncs a second, so one transaction per message caps throughput there. Transactions
 * that arrive while another is committing are queued and then run together in ONE transaction,
 * each inside its own savepoint: a job that throws rolls back only its own writes, every job's
 * promise settles only after the shared commit is durable, and nothing is weakened.
 */
import type { Knex } from 'knex';

/** Runs `fn` in a transaction (the shape of group-commit.ts's TxRunner). */
type Transact = <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;

interface Job {
  fn: (trx: Knex.Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export function createSqliteGroupCommit(db: Knex, opts: { maxBatch?: number } = {}): Transact {
  const maxBatch = opts.maxBatch ?? 200;
  const queue: Job[] = [];
  let draining = false;

  async function runBatch(batch: Job[]): Promise<void> {
    if (batch.length === 1) {
      const job = batch[0]!;
      try {
        job.resolve(await db.transaction(job.fn));
      } catch (err) {
        job.reject(err);
      }
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    try {
      await db.transaction(async (trx) => {
        for (const job of batch) {
          try {
            outcomes.push({ ok: true, value: await trx.transaction((sp) => job.fn(sp)) });
          } catch (err) {
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      // The shared commit itself failed: nobody's writes are durable.
      for (const job of batch) job.reject(err);
      return;
    }
    batch.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.err);
    });
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) await runBatch(queue.splice(0, maxBatch));
    } finally {
      draining = false;
    }
  }

  return <T>(fn: (trx: Knex.Transaction) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!draining) void drain();
    });
}
