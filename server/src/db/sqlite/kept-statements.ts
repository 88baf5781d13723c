/**
 * Keeps each SQLite connection's prepared statements (see docs/SQLITE.md). knex runs every query
 * through the driver's `Database#all` or `Database#run`, which prepares a statement, runs it and
 * finalizes it: three trips to the thread pool, each waiting for the event loop in between. Here
 * those two methods of the connection itself (installed from the pool's `afterCreate` hook — public
 * knex and node-sqlite3 API, no knex internals) keep the statement of a data query (select /
 * insert / update / delete / with) prepared per connection (the least recently used beyond
 * MAX_KEPT is finalized), so running it again is one trip. Results and errors are exactly the
 * driver's: the same call (`all` or `run`) with the same bindings, and the same `this` (`lastID`,
 * `changes`) for knex to read; a statement that failed is reset before its error is reported.
 *
 * Transaction control (BEGIN, COMMIT, SAVEPOINT, RELEASE, ROLLBACK: no bindings, no rows, and
 * savepoint names that never repeat) runs through `exec`, also one trip, with BEGIN as BEGIN
 * IMMEDIATE. Everything else — PRAGMAs, schema changes — goes the driver's own way. A kept
 * statement holds no transaction open: `all` steps it to its end and `run` steps a write to
 * completion (either halts it), and one that failed is reset. Closing the connection finalizes the
 * kept statements first (SQLite does not close a connection with statements open).
 */
import type sqlite3 from 'sqlite3';

const MAX_KEPT = 256;
const KEEPABLE = /^\s*(select|insert|update|delete|with|replace)\b/i;
/** Transaction control: no bindings, no rows, so `exec` runs it in one trip. */
const CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;
/**
 * knex's `BEGIN;` (deferred) becomes `BEGIN IMMEDIATE`: the transaction takes the write lock when
 * it starts, waiting out `busy_timeout` for another connection (a CLI backup or restore, an
 * operator's sqlite3 shell). A deferred transaction that read first and then writes after such a
 * connection committed fails at once with SQLITE_BUSY, busy_timeout or not. This connection is the
 * only one the server has, so taking the lock early costs it nothing.
 */
const DEFERRED_BEGIN = /^\s*begin\s*(transaction\s*)?;?\s*$/i;

type Callback = (this: unknown, err: Error | null, rows?: unknown) => void;
type QueryMethod = (sql: string, ...rest: unknown[]) => sqlite3.Database;

/** Install statement keeping on a freshly opened connection. */
export function keepStatements(connection: sqlite3.Database): void {
  const kept = new Map<string, Promise<sqlite3.Statement>>();
  // The driver's own methods, always called back with the connection as `this` (driver.call(this, …)).
  /* eslint-disable @typescript-eslint/unbound-method */
  const driverAll = connection.all as QueryMethod;
  const driverRun = connection.run as QueryMethod;
  const driverClose = connection.close;
  /* eslint-enable @typescript-eslint/unbound-method */

  const statement = (sql: string): Promise<sqlite3.Statement> => {
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
  };

  /** knex's call shape: (sql, bindings, callback). Anything else goes the driver's way. */
  const keeping = (method: 'all' | 'run', driver: QueryMethod): QueryMethod =>
    function (this: sqlite3.Database, sql: string, ...rest: unknown[]) {
      const [bindings, callback] = rest as [unknown[] | undefined, Callback];
      if (rest.length !== 2 || typeof callback !== 'function' || (bindings !== undefined && !Array.isArray(bindings))) return driver.call(this, sql, ...rest);
      if (method === 'all' && CONTROL.test(sql) && !bindings?.length) {
        connection.exec(DEFERRED_BEGIN.test(sql) ? 'BEGIN IMMEDIATE;' : sql, (err: Error | null) =>
          err ? callback.call(connection, err) : callback.call(connection, null, []),
        );
        return connection;
      }
      if (!KEEPABLE.test(sql)) return driver.call(this, sql, ...rest);
      statement(sql).then(
        (stmt) =>
          (stmt[method] as (params: unknown[], cb: Callback) => void)(bindings ?? [], function (this: unknown, err, rows) {
            // A step that failed with SQLITE_BUSY (or any error) leaves the statement active, and
            // an active statement keeps its transaction open: every later write on this connection
            // would then stay uncommitted and the other connections locked out. Reset it before
            // knex hears of the error (and runs anything else).
            if (err) stmt.reset(() => callback.call(connection, err));
            else callback.call(this, null, rows); // `this`: the statement (lastID, changes)
          }),
        (err: Error) => callback.call(connection, err),
      );
      return connection;
    };

  connection.all = keeping('all', driverAll) as typeof connection.all;
  connection.run = keeping('run', driverRun) as typeof connection.run;
  connection.close = function (this: sqlite3.Database, callback?: (err: Error | null) => void) {
    const open = [...kept.values()];
    kept.clear();
    void Promise.all(open.map((p) => p.then(finalize, () => {}))).then(() => driverClose.call(connection, callback));
    return connection;
  } as typeof connection.close;
}

function finalize(stmt: sqlite3.Statement): Promise<void> {
  return new Promise((resolve) => stmt.finalize(() => resolve()));
}
