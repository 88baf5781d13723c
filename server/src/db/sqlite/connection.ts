/**
 * knex on a SQLite file (see docs/SQLITE.md): WAL mode with synchronous=FULL — every commit is
 * fsynced to the WAL before we answer, so an acknowledged message survives a crash or a power cut;
 * throughput comes from batching writes into one transaction (group-commit.ts), not from weakening
 * durability. One connection, so writes are serialised in-process as SQLite wants, with its
 * prepared statements kept (kept-statements.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type sqlite3 from 'sqlite3';
import { keepStatements } from './kept-statements.ts';

/** `busyTimeoutMs`: how long a write waits for another connection's (the CLI waits longer than the server). */
export function createSqliteDb(filename: string, opts: { busyTimeoutMs?: number } = {}): Knex {
  fs.mkdirSync(path.dirname(filename), { recursive: true });
  return knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: sqlite3.Database, done: (err: Error | null, conn: unknown) => void) {
        // cache_size: 32 MiB of pages (SQLite's default is 2 MiB), so the indexes that take writes
        // in random order — the webhook dedupe key above all — stay in memory.
        conn.exec(
          `PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}; PRAGMA cache_size = -32768;`,
          (err) => {
            if (!err) keepStatements(conn);
            done(err, conn);
          },
        );
      },
    },
  });
}
