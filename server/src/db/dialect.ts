/**
 * The few things that differ between SQLite and PostgreSQL outside the SQL both speak. This is the
 * one place that asks which database it is; repositories ask it, and never branch on the dialect
 * themselves. SQLite's throughput code lives in sqlite/ (reasons in docs/SQLITE.md).
 */
import type { Knex } from 'knex';
import { PendingKeyWebhookEventWriter } from './sqlite/pending-key-webhook-writer.ts';
import { IndexedWebhookEventWriter, type WebhookEventWriter } from './webhook-event-writer.ts';
import type { TxRunner } from './tx-runner.ts';

interface SqlDialect {
  readonly name: 'sqlite' | 'postgresql';
  /**
   * Make the select of a claim skip rows another node is claiming (PostgreSQL `FOR UPDATE SKIP
   * LOCKED`). SQLite has one writer, so a claim's UPDATE … WHERE id IN (SELECT …) is atomic as it is.
   */
  skipLockedRows(query: Knex.QueryBuilder): Knex.QueryBuilder;
  /** The same, as SQL to append to a raw select. */
  readonly skipLockedSql: string;
  /**
   * Hold the selected rows until the transaction ends (PostgreSQL); SQLite's one writer holds the
   * whole database already, so there the query is not even built (a visitor message's path).
   */
  lockUntilCommit(query: () => Knex.QueryBuilder): Promise<void>;
  /** Whether transactions are worth committing together (one connection, an fsync per commit: group-commit.ts). */
  readonly groupsCommits: boolean;
  /** How stored webhook deliveries are written and deduplicated; `tx` is the server's group commit. */
  webhookEventWriter(db: Knex, tx: TxRunner): WebhookEventWriter;
  /** This process is the database's only writer: a copy kept in memory and dropped on each write stays exact. */
  readonly singleWriter: boolean;
  /**
   * A `?` in the select list of an `INSERT … SELECT` takes its target column's type (SQLite's
   * values carry their own). PostgreSQL reads it as text and fails on any other column.
   */
  readonly insertSelectBindsAnyType: boolean;
  /**
   * Independent statements of a transaction may be handed to the driver before the previous one
   * answers (together.ts): node-sqlite3 queues them on its connection; node-postgres deprecates it.
   */
  readonly sendsTogether: boolean;
  /**
   * What an `UPDATE table … FROM …` returns to give back the updated rows alone: SQLite's `*` (the
   * FROM tables never take part, and `table.*` is refused there); PostgreSQL's `*` would add them.
   */
  returningUpdated(table: string): string;
}

const POSTGRESQL: SqlDialect = {
  name: 'postgresql',
  skipLockedRows: (query) => query.forUpdate().skipLocked(),
  skipLockedSql: ' for update skip locked',
  lockUntilCommit: async (query) => {
    await query().forUpdate();
  },
  groupsCommits: false,
  webhookEventWriter: (db) => new IndexedWebhookEventWriter(db),
  singleWriter: false,
  insertSelectBindsAnyType: false,
  sendsTogether: false,
  returningUpdated: (table) => `${table}.*`,
};

const SQLITE: SqlDialect = {
  name: 'sqlite',
  skipLockedRows: (query) => query,
  skipLockedSql: '',
  lockUntilCommit: async () => {},
  groupsCommits: true,
  webhookEventWriter: (db, tx) => new PendingKeyWebhookEventWriter(db, tx),
  singleWriter: true,
  insertSelectBindsAnyType: true,
  sendsTogether: true,
  returningUpdated: () => '*',
};

export function dialectOf(db: Knex): SqlDialect {
  return (db.client as { dialect?: string }).dialect === 'postgresql' ? POSTGRESQL : SQLITE;
}
