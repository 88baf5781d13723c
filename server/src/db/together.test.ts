import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { together } from './together.ts';
import { useTempSqlite } from '../../test-support/temp-sqlite.ts';

/** Just enough of a knex for `dialectOf`. */
const onDialect = (dialect: 'sqlite3' | 'postgresql') => ({ client: { dialect } }) as unknown as Knex;
const sqlite = onDialect('sqlite3');
const pg = onDialect('postgresql');

describe('together: independent statements sent at once', () => {
  it('answers each result in the order given', async () => {
    const late = () => new Promise<string>((r) => setTimeout(() => r('late'), 20));
    for (const db of [sqlite, pg]) {
      expect(
        await together(
          db,
          late,
          async () => 2,
          async () => null,
        ),
      ).toEqual(['late', 2, null]);
    }
  });

  it('starts every statement before the first answers on SQLite, and one after another on PostgreSQL', async () => {
    const run = async (db: Knex) => {
      const events: string[] = [];
      const step = (name: string, ms: number) => async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
      };
      await together(db, step('a', 20), step('b', 5));
      return events;
    };
    expect(await run(sqlite)).toEqual(['start a', 'start b', 'end b', 'end a']);
    expect(await run(pg)).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('rejects with the first failure only once every statement started has settled', async () => {
    let slowDone = false;
    const slow = () => new Promise<void>((r) => setTimeout(() => ((slowDone = true), r()), 30));
    const failing = () => Promise.reject(new Error('constraint failed'));
    await expect(together(sqlite, slow, failing)).rejects.toThrow('constraint failed');
    expect(slowDone).toBe(true);
  });

  it('on PostgreSQL, starts nothing after a failure (the transaction is aborted by then)', async () => {
    let started = false;
    const failing = () => Promise.reject(new Error('constraint failed'));
    await expect(together(pg, failing, async () => void (started = true))).rejects.toThrow('constraint failed');
    expect(started).toBe(false);
  });

  describe('on one SQLite connection, inside a transaction (SQLite)', () => {
    const tmp = useTempSqlite();

    it('runs them all, and a failed one rolls back to its savepoint without losing the transaction', async () => {
      await tmp.db.schema.createTable('t', (t) => t.string('k').primary());
      await tmp.db.transaction(async (trx) => {
        await trx('t').insert({ k: 'kept' });
        const [a, b] = await together(
          trx,
          async () => trx('t').insert({ k: 'a' }),
          async () => trx('t').where({ k: 'kept' }).first(),
        );
        expect(a).toBeDefined();
        expect(b).toEqual({ k: 'kept' });
        await trx.raw('SAVEPOINT job');
        // One statement of the pair fails: its sibling has run by the time the error arrives.
        await expect(
          together(
            trx,
            async () => trx('t').insert({ k: 'b' }),
            async () => trx('t').insert({ k: 'kept' }),
          ),
        ).rejects.toThrow(/UNIQUE/);
        await trx.raw('ROLLBACK TO job');
        await trx('t').insert({ k: 'c' });
      });
      expect((await tmp.db('t').orderBy('k').select('k')).map((r) => r.k)).toEqual(['a', 'c', 'kept']);
    });
  });
});
