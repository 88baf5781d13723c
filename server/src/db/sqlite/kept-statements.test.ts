import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import sqlite3 from 'sqlite3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';
import { createSqliteDb } from './connection.ts';

describe('SQLite client keeping prepared statements', () => {
  const tmp = useTempSqlite({ migrate: false });
  let file: string;
  let db: Knex;

  beforeEach(async () => {
    db = tmp.db;
    file = tmp.file;
    await db.schema.createTable('t', (t) => {
      t.increments('id');
      t.string('name').notNullable().unique();
      t.integer('n').notNullable().defaultTo(0);
    });
  });

  /** Counts statements prepared on the (one) pooled connection from now on. */
  async function countPrepares(): Promise<{ count: () => number }> {
    const conn = (await db.client.acquireConnection()) as sqlite3.Database;
    await db.client.releaseConnection(conn);
    const spy = vi.spyOn(conn, 'prepare');
    return { count: () => spy.mock.calls.length };
  }

  it("answers exactly as knex's own client does: ids, counts, rows, returning, errors", async () => {
    const script = async (k: Knex) => {
      const out: unknown[] = [];
      const step = async (q: PromiseLike<unknown>) => out.push(await Promise.resolve(q).catch((err: Error) => `error: ${err.message.replace(/^.* - /, '')}`));
      await step(k('t').insert({ name: 'a' }));
      await step(
        k('t').insert([
          { name: 'b', n: 0 },
          { name: 'c', n: 5 },
        ]),
      );
      await step(k('t').insert({ name: 'd' }).returning(['id', 'name']));
      await step(k('t').insert({ name: 'a' }));
      await step(k('t').where('n', 0).update({ n: 1 }));
      await step(k('t').where({ name: 'd' }).update({ n: 2 }).returning('n'));
      await step(k('t').where({ name: 'a' }).increment('n', 10));
      await step(k('t').select('name', 'n').orderBy('id'));
      await step(k('t').where({ name: 'c' }).first());
      await step(k('t').where({ name: 'zz' }).first());
      await step(k('t').pluck('name'));
      await step(k('t').count({ k: '*' }).first());
      await step(k('t').where({ name: 'b' }).del());
      await step(k('t').where({ name: 'b' }).del());
      await step(k.raw('select count(*) as k from t where n > ?', [1]));
      await step(k.raw('select nope from t'));
      return out;
    };
    const plainFile = path.join(path.dirname(tmp.file), 'plain.sqlite');
    const plain = knexFactory({ client: 'sqlite3', connection: { filename: plainFile }, useNullAsDefault: true });
    try {
      await plain.schema.createTable('t', (t) => {
        t.increments('id');
        t.string('name').notNullable().unique();
        t.integer('n').notNullable().defaultTo(0);
      });
      const expected = await script(plain);
      expect(expected).toContainEqual([{ id: 4, name: 'd' }]); // the script does what it says
      expect(await script(db)).toEqual(expected);
    } finally {
      await plain.destroy();
    }
  });

  it('prepares a data statement once and runs it again with new bindings', async () => {
    const prepares = await countPrepares();
    for (let i = 0; i < 20; i++) await db('t').insert({ name: `n${i}`, n: i });
    for (let i = 0; i < 20; i++)
      expect(
        await db('t')
          .where({ name: `n${i}` })
          .first(),
      ).toMatchObject({ n: i });
    expect(prepares.count()).toBe(2);
  });

  it('keeps transaction control (exec, one trip) and PRAGMAs out of the cache', async () => {
    const prepares = await countPrepares();
    for (let i = 0; i < 3; i++) {
      await db.transaction(async (trx) => {
        await trx.transaction(async (sp) => sp('t').insert({ name: `sp${i}` }));
      });
    }
    await db.raw('PRAGMA user_version');
    // One insert, kept; BEGIN/COMMIT/SAVEPOINT/RELEASE run through exec, the PRAGMA through knex's path.
    expect(prepares.count()).toBe(1);
    expect(await db('t').count({ k: '*' }).first()).toEqual({ k: 3 });
  });

  it('reports SQL errors as knex does and keeps working after them', async () => {
    await db('t').insert({ name: 'a' });
    await expect(db('t').insert({ name: 'a' })).rejects.toThrow(/UNIQUE constraint failed: t.name/);
    await expect(db.raw('select nope from t')).rejects.toThrow(/no such column: nope/);
    expect(await db('t').insert({ name: 'b' })).toEqual([2]);
    await expect(
      db.transaction(async (trx) => {
        await trx('t').insert({ name: 'c' });
        await trx('t').insert({ name: 'a' });
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await db('t').pluck('name')).toEqual(['a', 'b']);
  });

  it('holds no read transaction open between queries, so a checkpoint can empty the WAL', async () => {
    for (let i = 0; i < 50; i++) await db('t').insert({ name: `w${i}` });
    await db('t').select('*');
    await db('t').where({ name: 'w1' }).first();
    const other = new sqlite3.Database(file);
    try {
      const [row] = await new Promise<{ busy: number; log: number; checkpointed: number }[]>((resolve, reject) =>
        other.all('PRAGMA wal_checkpoint(TRUNCATE)', (err: Error | null, rows: { busy: number; log: number; checkpointed: number }[]) =>
          err ? reject(err) : resolve(rows),
        ),
      );
      expect(row).toEqual({ busy: 0, log: 0, checkpointed: 0 }); // TRUNCATE done: nothing left in the log
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  /** Another connection to the same file, as a CLI backup or an operator's shell opens one. */
  async function withOther(busyTimeoutMs: number, body: (other: Knex) => Promise<void>): Promise<void> {
    const other = createSqliteDb(file, { busyTimeoutMs });
    try {
      await body(other);
    } finally {
      await other.destroy();
    }
  }

  it('a write that waited out busy_timeout leaves no transaction open: later writes commit and the other connection can write', async () => {
    const impatient = createSqliteDb(file, { busyTimeoutMs: 50 });
    try {
      await impatient('t').insert({ name: 'first' });
      await withOther(2000, async (other) => {
        const held = await other.transaction();
        await held('t').insert({ name: 'held' });
        // Kept statements of each shape (all with returning, run) fail while the other holds the lock.
        await expect(impatient('t').insert({ name: 'x' }).returning('id')).rejects.toThrow(/SQLITE_BUSY/);
        await expect(impatient('t').where({ name: 'first' }).update({ n: 1 })).rejects.toThrow(/SQLITE_BUSY/);
        await held.commit();
        await impatient('t').insert({ name: 'after' }).returning('id');
        await impatient('t').where({ name: 'first' }).update({ n: 2 });
        // The other connection sees those writes (committed) and may write again itself.
        expect(await other('t').orderBy('id').pluck('name')).toEqual(['first', 'held', 'after']);
        await other('t').insert({ name: 'other again' });
        expect(await impatient('t').count({ k: '*' }).first()).toEqual({ k: 4 });
      });
    } finally {
      await impatient.destroy();
    }
  });

  it("a transaction that read takes the write lock at BEGIN: another connection's write waits for it instead of failing it", async () => {
    await db('t').insert({ name: 'a' });
    await withOther(5000, async (other) => {
      await other('t').count({ k: '*' }); // connection open
      let otherWrite: Promise<unknown> | undefined;
      await db.transaction(async (trx) => {
        const n = (await trx('t').count({ k: '*' }).first()) as { k: number };
        otherWrite = Promise.resolve(other('t').insert({ name: 'from the shell' })); // sent now; waits on busy_timeout
        await new Promise((r) => setTimeout(r, 100));
        await trx('t').insert({ name: `after ${n.k}` }); // a deferred BEGIN would fail here: SQLITE_BUSY
      });
      await otherWrite;
    });
    expect(await db('t').orderBy('id').pluck('name')).toEqual(['a', 'after 1', 'from the shell']);
  });

  it('lets go of the least recently used statements beyond 256, and stays correct', async () => {
    const prepares = await countPrepares();
    for (let i = 0; i < 300; i++) await db.raw(`select ${i} as v`);
    expect(await db.raw('select 0 as v')).toEqual([{ v: 0 }]); // evicted: prepared again
    expect(await db.raw('select 299 as v')).toEqual([{ v: 299 }]); // still kept
    expect(prepares.count()).toBe(301);
  });
});
