/**
 * Knex for SQLite (default; set up in sqlite/connection.ts, reasons in docs/SQLITE.md) or
 * PostgreSQL.
 *
 * PostgreSQL (scale-out): a small pool per node, and bigint columns (our epoch-ms times, sizes,
 * counts) parsed as JS numbers so rows look the same as SQLite's. The parser is passed per
 * connection rather than set on the global `pg.types`, so nothing else in the process changes.
 */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { DatabaseConfig } from '../config-values.ts';
import { migrationSource } from './migrations/index.ts';
import { createSqliteDb } from './sqlite/connection.ts';

export type Db = Knex;

/** Connections per node: nodes × this must stay below the server's max_connections (100 by default). */
const PG_POOL_MAX = 10;

const INT8_OID: number = pg.types.builtins.INT8;

/** int8 → number while it is exact (epoch ms is ~2^41); a larger value stays a string, never rounded. */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

const pgTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return (format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text')) as (value: string) => unknown;
  },
};

/** `busyTimeoutMs`: how long a SQLite write waits for another connection's (the CLI waits longer than the server). */
export function createDb(cfg: DatabaseConfig, opts: { busyTimeoutMs?: number } = {}): Knex {
  if (cfg.client === 'pg') {
    return knexFactory({
      client: 'pg',
      connection: { connectionString: cfg.connectionString, types: pgTypes, application_name: 'connectdesk' },
      pool: { min: 0, max: PG_POOL_MAX, idleTimeoutMillis: 30_000 },
      acquireConnectionTimeout: 30_000,
    });
  }
  return createSqliteDb(cfg.filename, opts);
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
  const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(conn: unknown): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    await db.raw('SELECT pg_advisory_lock(?)', [MIGRATION_LOCK_KEY]).connection(conn);
    try {
      await db.migrate.latest({ migrationSource });
    } finally {
      await db.raw('SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK_KEY]).connection(conn);
    }
  } finally {
    await client.releaseConnection(conn);
  }
}

export async function isMigrated(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list({ migrationSource })) as [unknown[], unknown[]];
  return pending.length === 0;
}

export function isPostgres(db: Knex): boolean {
  return (db.client as { dialect?: string }).dialect === 'postgresql';
}
