/**
 * The SQLite file operations behind `connectdesk backup` and `restore`, each on a connection of its
 * own (never the server's): a consistent snapshot of a live database, an integrity check, and
 * whether some process has the database open right now.
 */
import fs from 'node:fs';
import sqlite3 from 'sqlite3';

/** A promise-shaped handle on one sqlite3 connection. */
class Connection {
  private constructor(private readonly db: sqlite3.Database) {}

  static open(file: string, mode: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(new Connection(db))));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  run(sql: string, params: unknown[]): Promise<void> {
    return new Promise((resolve, reject) => this.db.run(sql, params, (err) => (err ? reject(err) : resolve())));
  }

  all<T>(sql: string): Promise<T[]> {
    return new Promise((resolve, reject) => this.db.all<T>(sql, (err, rows) => (err ? reject(err) : resolve(rows))));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

async function withConnection<T>(file: string, mode: number, fn: (c: Connection) => Promise<T>): Promise<T> {
  const c = await Connection.open(file, mode);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

/**
 * Copy a database that may be in use into `dest` (which must not exist). `VACUUM INTO` reads the
 * source inside one read transaction, so the copy is the database exactly as of one commit: every
 * transaction committed before it began is in it, none that commits meanwhile is, and in WAL mode
 * the server's writers are never blocked while it runs.
 */
export async function snapshotSqlite(source: string, dest: string): Promise<void> {
  await withConnection(source, sqlite3.OPEN_READWRITE, async (c) => {
    await c.exec('PRAGMA busy_timeout = 10000');
    await c.run('VACUUM INTO ?', [dest]);
  });
}

/** `PRAGMA integrity_check`: an empty list when the file is sound, else SQLite's findings. */
export async function integrityProblems(file: string): Promise<string[]> {
  return withConnection(file, sqlite3.OPEN_READONLY, async (c) => {
    const rows = await c.all<{ integrity_check: string }>('PRAGMA integrity_check');
    const lines = rows.map((r) => r.integrity_check);
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  });
}

/** Row counts of some tables of a database file (for the backup's manifest and the restore's report). */
export async function countRows(file: string, tables: string[]): Promise<Record<string, number>> {
  return withConnection(file, sqlite3.OPEN_READONLY, async (c) => {
    const counts: Record<string, number> = {};
    for (const t of tables) {
      if (!/^[a-z_]+$/.test(t)) throw new Error(`not a table name: ${t}`);
      const [row] = await c.all<{ n: number }>(`SELECT count(*) AS n FROM ${t}`);
      counts[t] = row?.n ?? 0;
    }
    return counts;
  });
}

/** Names of the migrations applied to a database file, in order (knex's bookkeeping table). */
export async function migrationNames(file: string): Promise<string[]> {
  return withConnection(file, sqlite3.OPEN_READONLY, async (c) => {
    const rows = await c.all<{ name: string }>('SELECT name FROM knex_migrations ORDER BY id');
    return rows.map((r) => r.name);
  });
}

/**
 * Whether another connection (a running server, a backup in progress) has the database open. An
 * exclusive lock cannot be had while any other process holds the file open in WAL mode; with
 * nobody there it is taken and given back at once.
 */
export async function databaseInUse(file: string): Promise<boolean> {
  if (!fs.existsSync(file)) return false;
  return withConnection(file, sqlite3.OPEN_READWRITE, async (c) => {
    await c.exec('PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE');
    try {
      await c.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
      throw err;
    }
    await c.exec('COMMIT');
    return false;
  });
}
