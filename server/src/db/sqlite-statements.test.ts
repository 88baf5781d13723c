import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createGroupCommit } from './group-commit.ts';
import { createDb } from './knex.ts';
import { SqliteStatements } from './sqlite-statements.ts';

describe('SqliteStatements', () => {
  let db: Knex;
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stmts-'));
    db = createDb({ client: 'sqlite', filename: path.join(dir, 'db.sqlite') });
    await db.schema.createTable('t', (t) => {
      t.integer('id').primary();
      t.string('v').unique();
    });
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prepares a statement once and runs it again with new parameters, returning rows', async () => {
    const st = new SqliteStatements(db);
    let prepares = 0;
    const conn = (await db.client.acquireConnection()) as { prepare: (...a: unknown[]) => unknown };
    const prepare = conn.prepare.bind(conn);
    conn.prepare = (...a: unknown[]) => {
      prepares++;
      return prepare(...a);
    };
    await db.client.releaseConnection(conn);
    const sql = 'insert into t (id, v) values (?, ?) on conflict (v) do nothing returning id';
    expect(await st.all(sql, [1, 'a'])).toEqual([{ id: 1 }]);
    expect(await st.all(sql, [2, 'b'])).toEqual([{ id: 2 }]);
    expect(await st.all(sql, [3, 'a'])).toEqual([]); // the conflict: nothing returned
    expect(prepares).toBe(1);
    expect(await db('t').orderBy('id').pluck('v')).toEqual(['a', 'b']);
    await st.close();
  });

  it('queues with knex: a statement never runs inside someone else’s open transaction', async () => {
    const st = new SqliteStatements(db);
    const tx = createGroupCommit(db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const txDone = tx(async (trx) => {
      await trx('t').insert({ id: 10, v: 'in-tx' });
      order.push('tx wrote');
      await held;
      throw new Error('roll back');
    }).catch(() => order.push('tx rolled back'));
    await new Promise((r) => setTimeout(r, 20));
    const stmt = st.all('insert into t (id, v) values (?, ?) returning id', [11, 'outside']).then(() => order.push('statement ran'));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['tx wrote']);
    release();
    await Promise.all([txDone, stmt]);
    expect(order).toEqual(['tx wrote', 'tx rolled back', 'statement ran']);
    expect(await db('t').pluck('v')).toEqual(['outside']);
    await st.close();
  });

  it('reports SQL errors to the caller and does not keep a statement that failed to prepare', async () => {
    const st = new SqliteStatements(db);
    await expect(st.all('insert into nowhere values (?)', [1])).rejects.toThrow(/no such table/);
    await db.schema.createTable('nowhere', (t) => t.integer('x'));
    await expect(st.all('insert into nowhere values (?) returning x', [1])).resolves.toEqual([{ x: 1 }]);
    await st.close();
  });

  it('keeps at most 64 statements, finalizing the least recently used, and closes cleanly', async () => {
    const st = new SqliteStatements(db);
    for (let i = 0; i < 100; i++) await st.all(`select ? + ${i} as n`, [1]);
    expect(await st.all('select ? + 99 as n', [1])).toEqual([{ n: 100 }]);
    await st.close();
    // With every statement finalized the connection closes without "unfinalized statements".
  });
});
