/**
 * Knex for SQLite (default) or PostgreSQL. SQLite runs in WAL mode with synchronous=FULL: every
 * commit is fsynced to the WAL before we answer, so an acknowledged message survives a crash or a
 * power cut; throughput comes from batching writes into one transaction (group commit), not from
 * weakening durability. One connection, so writes are serialised in-process as SQLite wants.
 *
 * PostgreSQL (scale-out): a small pool per node, and bigint columns (our epoch-ms times, sizes,
 * counts) parsed as JS numbers so rows look the same as SQLite's. The parser is passed per
 * connection rather than set on the global `pg.types`, so nothing else in the process changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { migrationSource } from './migrations/index.ts';
import { KeptStatementsSqliteClient } from './sqlite-client.ts';

export type Db = Knex;

/** Connections per node: nodes × this must stay below the server's max_connections (100 by default). */
export const PG_POOL_MAX = 10;

const INT8_OID = pg.types.builtins.INT8;

/** int8 → number while it is exact (epoch ms is ~2^41); a larger value stays a string, never rounded. */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
};

export function createDb(cfg: DatabaseConfig): Knex {
  if (cfg.client === 'pg') {
    return knexFactory({
      client: 'pg',
      connection: { connectionString: cfg.connectionString, types: pgTypes, application_name: 'connectdesk' },
      pool: { min: 0, max: PG_POOL_MAX, idleTimeoutMillis: 30_000 },
      acquireConnectionTimeout: 30_000,
    });
  }
  fs.mkdirSync(path.dirname(cfg.filename), { recursive: true });
  return knexFactory({
    client: KeptStatementsSqliteClient as unknown as typeof knexFactory.Client,
    connection: { filename: cfg.filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        // cache_size: 32 MiB of pages (SQLite's default is 2 MiB), so the indexes that take writes
        // in random order — the webhook dedupe key above all — stay in memory.
        conn.exec(
          'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32768;',
          (err) => done(err, conn),
        );
      },
    },
  });
}

/** Any constant shared by all nodes: pg_advisory_lock key for "migrating ConnectDesk". */
const MIGRATION_LOCK_KEY = 0x636f6e6e;

/**
 * Bring the schema up to date. On PostgreSQL several nodes may start at once on a fresh database:
 * they queue on an advisory lock (held on a connection of its own) so exactly one creates knex's
 * bookkeeping tables and runs the migrations, and the others then find nothing left to do.
 */
export async function migrate(db: Knex): Promise<void> {
  if (!isPostgres(db)) {
    await db.migrate.latest({ migrationSource });
    return;
  }
  const conn: unknown = await db.client.acquireConnection();
  try {
    await db.raw('SELECT pg_advisory_lock(?)', [MIGRATION_LOCK_KEY]).connection(conn);
    try {
      await db.migrate.latest({ migrationSource });
    } finally {
      await db.raw('SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK_KEY]).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}

export async function isMigrated(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list({ migrationSource })) as [unknown[], unknown[]];
  return pending.length === 0;
}

export function isPostgres(db: Knex): boolean {
  return (db.client as { dialect?: string }).dialect === 'postgresql';
}

export function isSqlite(db: Knex): boolean {
  return (db.client as { dialect?: string }).dialect === 'sqlite3';
}
