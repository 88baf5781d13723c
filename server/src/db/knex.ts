/**
 * Knex for SQLite (default) or PostgreSQL. SQLite runs in WAL mode with synchronous=FULL: every
 * commit is fsynced to the WAL before we answer, so an acknowledged message survives a crash or a
 * power cut; throughput comes from batching writes into one transaction (group commit), not from
 * weakening durability. One connection, so writes are serialised in-process as SQLite wants.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config.ts';
import { migrationSource } from './migrations/index.ts';

export type Db = Knex;

export function createDb(cfg: DatabaseConfig): Knex {
  if (cfg.client === 'pg') {
    return knexFactory({
      client: 'pg',
      connection: cfg.connectionString,
      pool: { min: 0, max: 10 },
    });
  }
  fs.mkdirSync(path.dirname(cfg.filename), { recursive: true });
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: cfg.filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.exec(
          'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
          (err) => done(err, conn),
        );
      },
    },
  });
}

export async function migrate(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

export async function isMigrated(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list({ migrationSource })) as [unknown[], unknown[]];
  return pending.length === 0;
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}
