import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseInUse, integrityProblems, snapshotSqlite } from './sqlite-files.ts';

/** A second process's view of the database: its own connection, in WAL mode like the server's. */
function open(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(db)));
  });
}
const exec = (db: sqlite3.Database, sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
const run = (db: sqlite3.Database, sql: string, params: unknown[]) =>
  new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
const ids = (file: string) =>
  open(file).then(
    (db) =>
      new Promise<number[]>((resolve, reject) =>
        db.all<{ id: number }>('SELECT id FROM t ORDER BY id', (err, rows) => db.close(() => (err ? reject(err) : resolve(rows.map((r) => r.id))))),
      ),
  );
const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

describe('SQLite files for backup and restore', () => {
  let dir: string;
  let file: string;
  let writer: sqlite3.Database;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-snapshot-'));
    file = path.join(dir, 'live.sqlite');
    writer = await open(file);
    // As the server runs it: WAL, and no checkpoint inside commits, so new rows live in the WAL.
    await exec(writer, 'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0');
    await exec(writer, 'CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL); PRAGMA wal_checkpoint(TRUNCATE)');
  });

  afterEach(async () => {
    await close(writer);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a snapshot holds the commits that so far live only in the WAL (a copy of the file would not)', async () => {
    for (let i = 1; i <= 50; i += 1) await run(writer, 'INSERT INTO t (id, payload) VALUES (?, ?)', [i, `row ${i}`]);
    const naive = path.join(dir, 'naive.sqlite');
    fs.copyFileSync(file, naive);
    expect(await ids(naive)).toEqual([]);

    const snap = path.join(dir, 'snap.sqlite');
    await snapshotSqlite(file, snap);
    expect(await ids(snap)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await integrityProblems(snap)).toEqual([]);
  });

  it('under a stream of commits the snapshot is one moment: every commit before it, no gaps, intact', async () => {
    const payload = 'x'.repeat(400);
    await exec(writer, 'BEGIN');
    for (let i = 1; i <= 20_000; i += 1) await run(writer, 'INSERT INTO t (id, payload) VALUES (?, ?)', [i, payload]);
    await exec(writer, 'COMMIT');

    let next = 20_001;
    let stop = false;
    let duringSnapshot = 0;
    let snapshotting = false;
    const writes = (async () => {
      while (!stop) {
        await run(writer, 'INSERT INTO t (id, payload) VALUES (?, ?)', [next, payload]);
        next += 1;
        if (snapshotting) duringSnapshot += 1;
      }
    })();
    while (next < 20_050) await new Promise((r) => setTimeout(r, 1));

    const committedBefore = next - 1;
    snapshotting = true;
    const snap = path.join(dir, 'snap.sqlite');
    await snapshotSqlite(file, snap);
    snapshotting = false;
    stop = true;
    await writes;

    expect(duringSnapshot).toBeGreaterThan(0);
    const got = await ids(snap);
    expect(got.length).toBeGreaterThanOrEqual(committedBefore);
    expect(got.length).toBeLessThanOrEqual(next - 1);
    expect(got[got.length - 1]).toBe(got.length); // 1..n, no holes
    expect(await integrityProblems(snap)).toEqual([]);
  });

  it('integrityProblems reports a damaged file', async () => {
    for (let i = 1; i <= 200; i += 1) await run(writer, 'INSERT INTO t (id, payload) VALUES (?, ?)', [i, 'y'.repeat(500)]);
    const snap = path.join(dir, 'snap.sqlite');
    await snapshotSqlite(file, snap);
    const bytes = fs.readFileSync(snap);
    bytes.fill(0x55, 4096 + 100, 4096 * 3); // scribble over pages 2 and 3
    fs.writeFileSync(snap, bytes);
    expect((await integrityProblems(snap).catch((err: Error) => [err.message])).length).toBeGreaterThan(0);
  });

  it('databaseInUse: true while another connection has the file open, false once it is closed', async () => {
    expect(await databaseInUse(file)).toBe(true);
    await close(writer);
    expect(await databaseInUse(file)).toBe(false);
    expect(await databaseInUse(path.join(dir, 'missing.sqlite'))).toBe(false);
    writer = await open(file); // for afterEach
  });
});
