import { beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createGroupCommit } from '../group-commit.ts';
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
});
