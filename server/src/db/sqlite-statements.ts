/**
 * Prepared statements kept open on the SQLite connection, for the few statements on the hottest
 * path. Through knex every query is prepared, run and finalized afresh — three trips to the
 * thread pool, each waiting for the event loop in between; a kept statement is one trip. The
 * connection is borrowed from knex's pool for the call, so it queues with every other query and
 * transaction exactly as knex's own do.
 */
import type { Knex } from 'knex';
import type sqlite3 from 'sqlite3';

/** Statements kept per connection; the least recently used one is finalized beyond this. */
const MAX_STATEMENTS = 64;

export class SqliteStatements {
  private readonly byConnection = new Map<sqlite3.Database, Map<string, Promise<sqlite3.Statement>>>();

  constructor(private readonly db: Knex) {}

  /** Runs `sql` (prepared once per connection) with `params`; resolves with the rows it returns. */
  async all<T>(sql: string, params: unknown[]): Promise<T[]> {
    const conn = (await this.db.client.acquireConnection()) as sqlite3.Database;
    try {
      const stmt = await this.statement(conn, sql);
      return await new Promise<T[]>((resolve, reject) => stmt.all(params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
    } finally {
      await this.db.client.releaseConnection(conn);
    }
  }

  /** Finalizes every kept statement (before the database is closed: SQLite won't close with them open). */
  async close(): Promise<void> {
    const all = [...this.byConnection.values()].flatMap((cache) => [...cache.values()]);
    this.byConnection.clear();
    await Promise.all(all.map((p) => p.then((s) => new Promise<void>((resolve) => s.finalize(() => resolve())), () => {})));
  }

  private statement(conn: sqlite3.Database, sql: string): Promise<sqlite3.Statement> {
    let cache = this.byConnection.get(conn);
    if (!cache) this.byConnection.set(conn, (cache = new Map()));
    const kept = cache.get(sql);
    if (kept) {
      // Most recently used last, so the first entry is the one to evict.
      cache.delete(sql);
      cache.set(sql, kept);
      return kept;
    }
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const stmt = conn.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(stmt)));
    });
    cache.set(sql, prepared);
    prepared.catch(() => cache.delete(sql));
    if (cache.size > MAX_STATEMENTS) {
      const [oldestSql, oldest] = cache.entries().next().value as [string, Promise<sqlite3.Statement>];
      cache.delete(oldestSql);
      void oldest.then((s) => s.finalize(), () => {});
    }
    return prepared;
  }
}
