import knex, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { CompiledStatement } from './compiled-statement.ts';
import { useTempSqlite } from '../../test-support/temp-sqlite.ts';

describe('CompiledStatement: a builder compiled once, run as raw SQL with each call’s values', () => {
  const tmp = useTempSqlite({ migrate: false });

  async function table(db: Knex): Promise<void> {
    await db.schema.createTable('t', (t) => {
      t.string('id').primary();
      t.integer('n').notNullable();
      t.string('state');
      t.integer('seen');
    });
  }

  it('builds once per dialect and binds each call’s values where the markers were, constants and repeats included', async () => {
    await table(tmp.db);
    let builds = 0;
    const insert = new CompiledStatement<'id' | 'n'>((db, slot) => (builds++, db('t').insert({ id: slot('id'), n: slot('n'), state: 'new', seen: null })));
    const bump = new CompiledStatement<'id' | 'by' | 'at'>((db, slot) =>
      db('t')
        .where({ id: slot('id') })
        .update({
          n: db.raw('n + ?', [slot('by')]),
          seen: db.raw('CASE WHEN seen IS NULL OR seen < ? THEN ? ELSE seen END', [slot('at'), slot('at')]),
          state: 'bumped',
        })
        .returning('*'),
    );
    await insert.rows(tmp.db, { id: 'a', n: 1 });
    await insert.rows(tmp.db, { id: 'b', n: 10 });
    expect(builds).toBe(1);
    expect(await bump.first(tmp.db, { id: 'b', by: 5, at: 300 })).toEqual({ id: 'b', n: 15, state: 'bumped', seen: 300 });
    expect(await bump.first(tmp.db, { id: 'b', by: 1, at: 200 })).toEqual({ id: 'b', n: 16, state: 'bumped', seen: 300 });
    expect(await bump.first(tmp.db, { id: 'none', by: 1, at: 1 })).toBeNull();
    expect(await tmp.db('t').orderBy('id')).toEqual([
      { id: 'a', n: 1, state: 'new', seen: null },
      { id: 'b', n: 16, state: 'bumped', seen: 300 },
    ]);
  });

  it('runs in the caller’s transaction, through knex: a rollback undoes it and `query` events see it', async () => {
    await table(tmp.db);
    const insert = new CompiledStatement<'id'>((db, slot) => db('t').insert({ id: slot('id'), n: 1 }));
    const seen: string[] = [];
    tmp.db.on('query', (q: { sql: string }) => seen.push(q.sql));
    await expect(
      tmp.db.transaction(async (trx) => {
        await insert.rows(trx, { id: 'x' });
        expect(await trx('t').count({ c: '*' }).first()).toEqual({ c: 1 });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await tmp.db('t')).toEqual([]);
    expect(seen).toContain(insert.sqlFor(tmp.db));
  });

  it('compiles for each database’s own dialect', () => {
    const byId = new CompiledStatement<'id'>((db, slot) =>
      db('t')
        .where({ id: slot('id') })
        .first(),
    );
    const pg = knex({ client: 'pg' });
    expect(byId.sqlFor(tmp.db)).toBe('select * from `t` where `id` = ? limit ?');
    expect(byId.sqlFor(pg)).toBe('select * from "t" where "id" = ? limit ?');
  });

  it('refuses a builder whose value did not reach the SQL as a bound value, or that binds an identifier', () => {
    const inlined = new CompiledStatement<'id'>((db, slot) => db('t').whereRaw(`id = '${slot('id')}'`));
    expect(() => inlined.sqlFor(tmp.db)).toThrow('id did not reach the SQL as a bound value');
    const identifier = new CompiledStatement<'id'>((db, slot) => db('t').whereRaw('?? = ?', ['id', slot('id')]));
    // knex inlines `??` as a quoted name, so the check left is the placeholder count: a raw `??` in a value would be misread.
    expect(identifier.sqlFor(tmp.db)).toBe('select * from `t` where `id` = ?');
    const questionInName = new CompiledStatement<'id'>((db, slot) => db('t?').where({ id: slot('id') }));
    expect(() => questionInName.sqlFor(tmp.db)).toThrow('placeholders for 1 values');
  });
});
