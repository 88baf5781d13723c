/**
 * Transactions for the services. On SQLite, transactions that arrive while another is committing
 * run together in one commit (sqlite/group-commit.ts); on PostgreSQL (a connection pool,
 * concurrent commits) each is a plain `db.transaction`.
 */
import type { Knex } from 'knex';
import { dialectOf } from './dialect.ts';
import { createSqliteGroupCommit, type SqliteGroupCommitOptions } from './sqlite/group-commit.ts';

export type TxRunner = <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;

export function createGroupCommit(db: Knex, opts: SqliteGroupCommitOptions = {}): TxRunner {
  return dialectOf(db).groupsCommits ? createSqliteGroupCommit(db, opts) : (fn) => db.transaction(fn);
}
