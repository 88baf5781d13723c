/**
 * Group commit for SQLite (see docs/SQLITE.md). Every commit is fsynced (synchronous=FULL), and one disk does a few
 * hundred fsyncs a second, so one transaction per message caps throughput there. Transactions
 * that arrive while another is committing are queued and then run together in ONE transaction,
 * each inside its own savepoint: a job that throws rolls back only its own writes, every job's
 * promise settles only after the shared commit is durable, and nothing is weakened.
 *
 * Jobs that arrive while a transaction is still running its jobs join it before it commits (up to
 * `maxBatch` jobs and `joinMs` after it began), rather than waiting for it to commit and then paying
 * a commit of their own: acknowledging webhooks, claiming them and applying them, and visitors'
 * messages, all share fsyncs instead of taking turns with one each.
 */
import type { Knex } from 'knex';

/** Runs `fn` in a transaction (the shape of group-commit.ts's TxRunner). */
type Transact = <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;

interface Job {
  fn: (trx: Knex.Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

export interface SqliteGroupCommitOptions {
  /** Jobs in one transaction, at most. */
  maxBatch?: number;
  /** How long after a transaction began late arrivals may still join it (ms). */
  joinMs?: number;
}

export function createSqliteGroupCommit(db: Knex, opts: SqliteGroupCommitOptions = {}): Transact {
  const maxBatch = opts.maxBatch ?? 200;
  const joinMs = opts.joinMs ?? 10;
  const queue: Job[] = [];
  let draining = false;
  let savepoints = 0;
  const bound = boundTransaction(db);

  /** One transaction: the jobs queued now, then whoever joins while they run. */
  async function runBatch(): Promise<void> {
    // Taken out of the queue before BEGIN, so a transaction that cannot start fails them, as a commit that fails does.
    const jobs = queue.splice(0, maxBatch);
    const outcomes: Outcome[] = [];
    const began = performance.now();
    try {
      await bound.transaction(async (trx) => {
        let round = jobs.slice();
        // A job alone runs without a savepoint (two fewer statements); if it throws, the
        // transaction rolls back with it, before anyone else could have joined.
        if (round.length === 1) {
          outcomes.push({ ok: true, value: await round[0]!.fn(trx) });
          round = [];
        }
        for (;;) {
          for (const job of round) {
            try {
              outcomes.push({ ok: true, value: await inSavepoint(trx, `job_${++savepoints}`, job.fn) });
            } catch (err) {
              outcomes.push({ ok: false, err });
            }
          }
          if (queue.length === 0 || jobs.length >= maxBatch || performance.now() - began >= joinMs) break;
          round = queue.splice(0, maxBatch - jobs.length);
          jobs.push(...round);
        }
      });
    } catch (err) {
      // The shared commit failed, the transaction could not begin, or the lone job threw: nobody's writes are durable.
      for (const job of jobs) job.reject(err);
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.err);
    });
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) await runBatch();
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

/**
 * Transactions on the pool's one connection through ONE knex transaction object, made once and
 * used for every batch. `db.transaction(fn)` builds a transaction object per call — a client, a
 * transactor with ~120 properties of its own, listeners, promise chains: 16 % of what the server
 * allocated at 300–500 visitor messages a second (BENCHMARKS.md), garbage that feeds the major
 * GCs that set the visitor path's tail. Here, all public knex API: the connection is taken from
 * the pool for each batch (`client.acquireConnection`, so reads outside transactions wait as they
 * would for `db.transaction`) and given back after; the transaction object is bound to that
 * connection (`transaction({ connection })`), which knex neither takes from the pool nor gives
 * back. knex opens its first transaction (BEGIN); after that, BEGIN, COMMIT and ROLLBACK are this
 * module's own statements, so knex never marks the object completed and it stays usable. Should
 * the pool hand out a different connection (the old one failed and was replaced), a new object
 * is bound to it. Nothing runs through the object between batches: it holds no connection then.
 * (A job must await its queries, as in any transaction: one it left running would no longer be
 * refused by knex once the batch committed, but run on its own after it.)
 */
function boundTransaction(db: Knex) {
  const pool = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<void> };
  let current: { connection: unknown; trx: Knex.Transaction } | null = null;

  /** BEGIN on `connection`, through the object bound to it (made, with its BEGIN, when there is none). */
  async function begin(connection: unknown): Promise<Knex.Transaction> {
    if (current && current.connection === connection) {
      await current.trx.raw('BEGIN');
      return current.trx;
    }
    current = null;
    const trx = await db.transaction({ connection });
    current = { connection, trx };
    return trx;
  }

  return {
    /** `fn` in a transaction: committed when it resolves, rolled back when it throws or the commit fails. */
    async transaction(fn: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
      const connection = await pool.acquireConnection();
      try {
        const trx = await begin(connection);
        try {
          await fn(trx);
          await trx.raw('COMMIT');
        } catch (err) {
          // As knex does: a failed COMMIT is rolled back too (SQLite may have done so already; a ROLLBACK that finds no transaction is harmless).
          await trx.raw('ROLLBACK').catch(() => {});
          throw err;
        }
      } finally {
        await pool.releaseConnection(connection);
      }
    },
  };
}

/**
 * `fn` inside a savepoint of the running transaction: kept when it succeeds, rolled back to (its
 * writes undone, the transaction still open) when it throws. The savepoint is not released: the
 * batch's COMMIT releases all of them at once, which saves a trip to the connection per job (a
 * savepoint left open costs SQLite a check per page first written after it). Nor does knex build
 * a nested transaction for each job (a client, a transactor and its ~100 properties: about a third
 * of a small job's CPU; `pnpm bench group-commit`). `fn` is given the transaction itself; a nested
 * `trx.transaction` inside it is still knex's own savepoint, released as knex does.
 */
async function inSavepoint<T>(trx: Knex.Transaction, name: string, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  await trx.raw(`SAVEPOINT ${name}`);
  try {
    return await fn(trx);
  } catch (err) {
    await trx.raw(`ROLLBACK TO ${name}`);
    throw err;
  }
}
