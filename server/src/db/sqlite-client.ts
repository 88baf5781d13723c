/**
 * knex's SQLite client, keeping each connection's prepared statements. knex runs every query
 * through `Database#all/run`, which prepares a statement, runs it and finalizes it: three trips to
 * the thread pool, each waiting for the event loop in between. Here the statement of a data query
 * (select / insert / update / delete / with) is prepared once per connection and kept (the least
 * recently used beyond MAX_KEPT is finalized), so running it again is one trip. Results and
 * errors are exactly knex's: the same call (`all`, or `run` for writes without `returning`) with
 * the same bindings, and the same `this` (`lastID`, `changes`) for knex to read.
 *
 * Transaction control (BEGIN, COMMIT, SAVEPOINT, RELEASE, ROLLBACK: no bindings, no rows, and
 * savepoint names that never repeat) runs through `exec`, also one trip. Everything else —
 * PRAGMAs, schema changes — goes through knex's own path. A kept statement holds no transaction
 * open: `all` resets it when done and `run` steps a write to completion.
 */
import { createRequire } from 'node:module';
import type sqlite3 from 'sqlite3';

const require = createRequire(import.meta.url);

interface KnexQueryObject {
  sql: string;
  bindings?: unknown[];
  method?: string;
  returning?: unknown;
  response?: unknown;
  context?: unknown;
}

interface SqliteClientBase {
  _query(connection: sqlite3.Database, obj: KnexQueryObject): Promise<KnexQueryObject>;
  destroyRawConnection(connection: sqlite3.Database): Promise<void>;
}

// knex has no typings for its dialect classes; this is the one it uses for `client: 'sqlite3'`.
const Client_SQLite3 = require('knex/lib/dialects/sqlite3/index.js') as new (config: unknown) => SqliteClientBase;

const MAX_KEPT = 256;
const KEEPABLE = /^\s*(select|insert|update|delete|with|replace)\b/i;
/** Transaction control: no bindings, no rows, so `exec` runs it in one trip. */
const CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;

type Kept = Map<string, Promise<sqlite3.Statement>>;
/**
 * The statements live on their connection (knex builds a transaction's client from the class
 * prototype, so state on the client instance would not be seen inside transactions).
 */
const KEPT = Symbol('connectdesk.keptStatements');
type WithKept = sqlite3.Database & { [KEPT]?: Kept };

export class KeptStatementsSqliteClient extends Client_SQLite3 {
  override _query(connection: sqlite3.Database, obj: KnexQueryObject): Promise<KnexQueryObject> {
    if (obj.sql && CONTROL.test(obj.sql) && !obj.bindings?.length) {
      return new Promise((resolve, reject) =>
        connection.exec(obj.sql, (err: Error | null) => {
          if (err) return reject(err);
          obj.response = [];
          resolve(obj);
        }),
      );
    }
    if (!obj.sql || !KEEPABLE.test(obj.sql)) return super._query(connection, obj);
    const callMethod = (obj.method === 'insert' || obj.method === 'update') && !obj.returning ? 'run' : obj.method === 'del' || obj.method === 'counter' ? 'run' : 'all';
    return this.statement(connection, obj.sql).then(
      (stmt) =>
        new Promise<KnexQueryObject>((resolve, reject) => {
          stmt[callMethod](obj.bindings ?? [], function (this: unknown, err: Error | null, response?: unknown) {
            if (err) return reject(err);
            obj.response = response;
            obj.context = this; // the statement: lastID and changes, as knex expects
            resolve(obj);
          });
        }),
    );
  }

  override async destroyRawConnection(connection: sqlite3.Database): Promise<void> {
    // SQLite does not close a connection with statements still open.
    const kept = (connection as WithKept)[KEPT];
    delete (connection as WithKept)[KEPT];
    if (kept) await Promise.all([...kept.values()].map((p) => p.then(finalize, () => {})));
    return super.destroyRawConnection(connection);
  }

  private statement(connection: WithKept, sql: string): Promise<sqlite3.Statement> {
    const kept = (connection[KEPT] ??= new Map());
    const hit = kept.get(sql);
    if (hit) {
      // Most recently used last, so the first entry is the one to let go.
      kept.delete(sql);
      kept.set(sql, hit);
      return hit;
    }
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const stmt = connection.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(stmt)));
    });
    kept.set(sql, prepared);
    prepared.catch(() => kept.delete(sql)); // a statement that does not compile is not kept
    if (kept.size > MAX_KEPT) {
      const [oldestSql, oldest] = kept.entries().next().value as [string, Promise<sqlite3.Statement>];
      kept.delete(oldestSql);
      void oldest.then(finalize, () => {});
    }
    return prepared;
  }
}

function finalize(stmt: sqlite3.Statement): Promise<void> {
  return new Promise((resolve) => stmt.finalize(() => resolve()));
}
