/**
 * Transactions for the services. On SQLite, transactions that arrive while another is committing
 * run together in one commit (sqlite/group-commit.ts); on PostgreSQL (a connection pool,
 * concurrent commits) each is a plain `db.transaction`.
 */
import type { Knex } from 'knex';
import { dialectOf } from './dialect.ts';
import type { TxRunner } from './tx-runner.ts';
import { createSqliteGroupCommit, type SqliteGroupCommitOptions } from './sqlite/group-commit.ts';

export type { TxRunner };

export function createGroupCommit(db: Knex, opts: SqliteGroupCommitOptions = {}): TxRunner {
  return dialectOf(db).groupsCommits ? createSqliteGroupCommit(db, opts) : (fn) => db.transaction(fn);
}
