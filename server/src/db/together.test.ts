import { describe, expect, it } from 'vitest';
import { together } from './together.ts';
import { useTempSqlite } from '../../test-support/temp-sqlite.ts';

describe('together: independent statements sent at once', () => {
  it('answers each result in the order given', async () => {
    const late = new Promise<string>((r) => setTimeout(() => r('late'), 20));
    expect(await together(late, Promise.resolve(2), Promise.resolve(null))).toEqual(['late', 2, null]);
  });

  it('rejects with the first failure only once every statement has settled', async () => {
    let slowDone = false;
    const slow = new Promise<void>((r) => setTimeout(() => ((slowDone = true), r()), 30));
    const failing = Promise.reject(new Error('constraint failed'));
    await expect(together(slow, failing)).rejects.toThrow('constraint failed');
    expect(slowDone).toBe(true);
  });

  describe('on one SQLite connection, inside a transaction (SQLite)', () => {
    const tmp = useTempSqlite();

    it('runs them all, and a failed one rolls back to its savepoint without losing the transaction', async () => {
      await tmp.db.schema.createTable('t', (t) => t.string('k').primary());
      await tmp.db.transaction(async (trx) => {
        await trx('t').insert({ k: 'kept' });
        const [a, b] = await together(trx('t').insert({ k: 'a' }), trx('t').where({ k: 'kept' }).first());
        expect(a).toBeDefined();
        expect(b).toEqual({ k: 'kept' });
        await trx.raw('SAVEPOINT job');
        // One statement of the pair fails: its sibling has run by the time the error arrives.
        await expect(together(trx('t').insert({ k: 'b' }), trx('t').insert({ k: 'kept' }))).rejects.toThrow(/UNIQUE/);
        await trx.raw('ROLLBACK TO job');
        await trx('t').insert({ k: 'c' });
      });
      expect((await tmp.db('t').orderBy('k').select('k')).map((r) => r.k)).toEqual(['a', 'c', 'kept']);
    });
  });
});
