import { beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createGroupCommit } from '../group-commit.ts';
import { createSqliteGroupCommit } from './group-commit.ts';
import { createSqliteDb } from './connection.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

describe('group commit (SQLite)', () => {
  const tmp = useTempSqlite({ migrate: false });
  let db: Knex;
  beforeEach(async () => {
    db = tmp.db;
    await db.schema.createTable('t', (t) => {
      t.integer('id').primary();
      t.string('v');
    });
  });

  it('runs concurrent transactions in fewer commits, each job isolated in its own savepoint', async () => {
    const tx = createGroupCommit(db);
    let commits = 0;
    db.on('query', (q: { sql: string }) => {
      if (/^commit/i.test(q.sql)) commits++;
    });
    const jobs = Array.from({ length: 50 }, (_, i) =>
      tx(async (trx) => {
        await trx('t').insert({ id: i, v: `v${i}` });
        if (i % 10 === 3) throw new Error(`job ${i} fails`);
        return i;
      }),
    );
    const results = await Promise.allSettled(jobs);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    expect(results[3]).toMatchObject({ status: 'rejected', reason: new Error('job 3 fails') });
    expect(results[4]).toEqual({ status: 'fulfilled', value: 4 });
    const rows = await db('t').select('id');
    expect(rows).toHaveLength(45);
    expect(rows.map((r) => r.id)).not.toContain(13);
    expect(commits).toBeLessThan(10);
  });

  it('a lone failing job rolls back its writes', async () => {
    const tx = createGroupCommit(db);
    await expect(
      tx(async (trx) => {
        await trx('t').insert({ id: 1, v: 'x' });
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await db('t').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('a job that arrives while a transaction runs joins it, in a savepoint of its own', async () => {
    const tx = createGroupCommit(db);
    const commits = countCommits(db);
    let late: Promise<unknown>[] = [];
    const first = tx(async (trx) => {
      await trx('t').insert({ id: 1, v: 'first' });
      // Arrive while the first job is at the database: one succeeds, one fails.
      late = [
        tx((t) => t('t').insert({ id: 2, v: 'joined' })),
        tx(async (t) => {
          await t('t').insert({ id: 3, v: 'rolled back' });
          throw new Error('late job fails');
        }),
      ];
      await trx('t').insert({ id: 4, v: 'first, again' });
      return 'first';
    });
    expect(await first).toBe('first');
    const [joined, failed] = await Promise.allSettled(late);
    expect(joined!.status).toBe('fulfilled');
    expect(failed).toMatchObject({ status: 'rejected', reason: new Error('late job fails') });
    expect((await db('t').orderBy('id').pluck('id')) as number[]).toEqual([1, 2, 4]);
    expect(commits()).toBe(1);
  });

  it('a lone job that fails takes nobody down with it: late arrivals commit in the next transaction', async () => {
    const tx = createGroupCommit(db);
    const late: Promise<unknown>[] = [];
    const lone = tx(async (trx) => {
      await trx('t').insert({ id: 1, v: 'x' });
      late.push(tx((t) => t('t').insert({ id: 2, v: 'late' })));
      throw new Error('lone job fails');
    });
    await expect(lone).rejects.toThrow('lone job fails');
    await Promise.all(late);
    expect((await db('t').pluck('id')) as number[]).toEqual([2]);
  });

  it("a job's own nested transaction is a savepoint inside the job's: its failure alone, or the job's, is undone", async () => {
    const tx = createGroupCommit(db);
    const statements: string[] = [];
    db.on('query', (q: { sql: string }) => statements.push(q.sql));
    const jobs = [
      // Catches its inner failure: keeps its own writes, loses only the inner ones.
      tx(async (trx) => {
        await trx('t').insert({ id: 1, v: 'outer' });
        await trx
          .transaction((inner) =>
            inner('t')
              .insert({ id: 2, v: 'inner' })
              .then(() => Promise.reject(new Error('inner fails'))),
          )
          .catch(() => {});
        return 'kept';
      }),
      // Fails after its nested transaction committed into it: all of it goes.
      tx(async (trx) => {
        await trx.transaction((inner) => inner('t').insert({ id: 3, v: 'inner, then the job fails' }));
        throw new Error('job fails');
      }),
      // A plain job joining the same commit.
      tx((trx) => trx('t').insert({ id: 4, v: 'plain' })),
    ];
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await db('t').orderBy('id').pluck('id')) as number[]).toEqual([1, 4]);
    // One transaction: the jobs after the first each in a savepoint, released or rolled back to.
    expect(statements.filter((s) => /^begin/i.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /^rollback to job_/i.test(s))).toHaveLength(1);
  });

  it('late arrivals wait for the next transaction once joinMs has passed', async () => {
    const tx = createSqliteGroupCommit(db, { joinMs: 0 });
    const commits = countCommits(db);
    const late: Promise<unknown>[] = [];
    await tx(async (trx) => {
      await trx('t').insert({ id: 1, v: 'x' });
      late.push(tx((t) => t('t').insert({ id: 2, v: 'late' })));
      await new Promise((r) => setTimeout(r, 5));
    });
    await Promise.all(late);
    expect(commits()).toBe(2);
  });
  it('every batch runs through one transaction object, the connection given back between batches', async () => {
    const tx = createGroupCommit(db);
    const seen = new Set<Knex.Transaction>();
    for (let i = 1; i <= 3; i++) {
      await tx(async (trx) => {
        seen.add(trx);
        await trx('t').insert({ id: i, v: `batch ${i}` });
      });
      // Outside any transaction: waits for the pool's one connection, which the batch gave back.
      expect(await db('t').count({ n: '*' }).first()).toEqual({ n: i });
    }
    await expect(
      tx(async (trx) => {
        seen.add(trx);
        await trx('t').insert({ id: 9, v: 'undone' });
        throw new Error('lone job fails');
      }),
    ).rejects.toThrow('lone job fails');
    await tx(async (trx) => {
      seen.add(trx);
      await trx('t').insert({ id: 4, v: 'after a rollback' });
    });
    expect(seen.size).toBe(1);
    expect((await db('t').orderBy('id').pluck('id')) as number[]).toEqual([1, 2, 3, 4]);
  });

  it('a new connection from the pool gets a transaction object of its own', async () => {
    const tx = createGroupCommit(db);
    const seen: Knex.Transaction[] = [];
    await tx(async (trx) => {
      seen.push(trx);
      await trx('t').insert({ id: 1, v: 'first connection' });
    });
    // The pool's connection closed and a new one opened (what tarn does after a broken connection).
    await db.destroy();
    db.initialize();
    await tx(async (trx) => {
      seen.push(trx);
      await trx('t').insert({ id: 2, v: 'second connection' });
    });
    expect(seen[0]).not.toBe(seen[1]);
    expect((await db('t').orderBy('id').pluck('id')) as number[]).toEqual([1, 2]);
  });

  it('a failed COMMIT rolls the batch back and the next batch still commits', async () => {
    await db.schema.createTable('child', (t) => {
      t.integer('id').primary();
      t.integer('t_id').references('t.id').deferrable('deferred');
    });
    const tx = createGroupCommit(db);
    // A deferred foreign key is checked at COMMIT: the commit fails, and SQLite keeps the transaction open.
    await expect(tx((trx) => trx('child').insert({ id: 1, t_id: 42 }))).rejects.toThrow(/FOREIGN KEY/);
    await tx((trx) => trx('t').insert({ id: 1, v: 'next batch' }));
    expect(await db('child').count({ n: '*' }).first()).toEqual({ n: 0 });
    expect((await db('t').pluck('id')) as number[]).toEqual([1]);
  });

  it('jobs whose transaction cannot begin fail, instead of waiting forever', async () => {
    // Another connection (a CLI, an operator's shell) holds the write lock past our busy timeout.
    const impatient = createSqliteDb(tmp.file, { busyTimeoutMs: 50 });
    let release = () => {};
    const holding = db.transaction(async (trx) => {
      await trx('t').insert({ id: 9, v: 'holder' });
      await new Promise<void>((r) => (release = r));
    });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const tx = createSqliteGroupCommit(impatient);
      const jobs = [tx((t) => t('t').insert({ id: 1, v: 'a' })), tx((t) => t('t').insert({ id: 2, v: 'b' }))];
      const settled = await Promise.allSettled(jobs);
      expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      release();
      await holding;
      await impatient.destroy();
    }
    expect((await db('t').pluck('id')) as number[]).toEqual([9]);
  });
});

function countCommits(db: Knex): () => number {
  let commits = 0;
  db.on('query', (q: { sql: string }) => {
    if (/^commit/i.test(q.sql)) commits++;
  });
  return () => commits;
}
