/**
 * WAL checkpoints off the write path (SQLite only). By default SQLite checkpoints inside the
 * commit that pushes the WAL past 1,000 pages: that commit then copies megabytes into the
 * database file and fsyncs it while every other write — and, with our single connection, every
 * read — waits. Here the main connection's automatic checkpoints are turned off and a second
 * connection of our own runs PASSIVE checkpoints on a timer. A PASSIVE checkpoint takes no lock a
 * writer needs, so commits go on appending to the WAL meanwhile; once everything is copied, the
 * next commit starts the WAL over from the beginning.
 *
 * Under sustained writes a checkpoint running beside the writer never sees the WAL at rest, so it
 * is never "complete" and the WAL would only grow. When it passes `maxWalFrames`, one PASSIVE
 * checkpoint goes through the writing connection itself, between two transactions: the pages left
 * to copy are few (ours just copied the rest), and the next commit then restarts the WAL.
 *
 * Durability is unchanged: a commit is durable when its WAL frames are fsynced (synchronous=FULL
 * on the main connection); the checkpoint only moves already-durable pages, with SQLite's own
 * fsyncs. If this connection cannot be opened, nothing is turned off and SQLite's own automatic
 * checkpoints keep working as before.
 */
import type { Knex } from 'knex';
import sqlite3 from 'sqlite3';
import type { Logger } from '../../logger.ts';

export interface WalCheckpointerOptions {
  filename: string;
  logger: Logger;
  /** How often to checkpoint. */
  intervalMs?: number;
  /** WAL length (pages) past which the writing connection finishes a checkpoint so the WAL restarts. */
  maxWalFrames?: number;
}

interface CheckpointResult {
  busy: number;
  /** Frames in the WAL. */
  log: number;
  /** Frames copied into the database so far. */
  checkpointed: number;
}

export class WalCheckpointer {
  private conn: sqlite3.Database | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private db: Knex | null = null;
  /** Checkpoints run so far, and how many of them the writing connection had to finish. */
  readonly stats = { checkpoints: 0, writerCheckpoints: 0 };

  constructor(private readonly options: WalCheckpointerOptions) {}

  /** Opens the checkpoint connection and turns off automatic checkpoints on `db`'s connection. */
  async start(db: Knex): Promise<void> {
    const conn = await open(this.options.filename);
    try {
      await exec(conn, 'PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    } catch (err) {
      await close(conn);
      throw err;
    }
    this.conn = conn;
    this.db = db;
    // The pool has exactly one connection (min = max = 1), so this reaches the one that writes.
    // Should the pool ever replace it, the new one has SQLite's default again: a safe fallback.
    await db.raw('PRAGMA wal_autocheckpoint = 0');
    this.schedule();
  }

  /** Runs one checkpoint now (also what the timer calls); resolves with SQLite's figures. */
  async checkpoint(): Promise<CheckpointResult | null> {
    while (this.running) await this.running;
    const conn = this.conn;
    const db = this.db;
    if (!conn || !db) return null;
    const run = this.run(conn, db);
    this.running = run.then(() => undefined);
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  private async run(conn: sqlite3.Database, db: Knex): Promise<CheckpointResult | null> {
    try {
      const result = await get<CheckpointResult>(conn, 'PRAGMA wal_checkpoint(PASSIVE)');
      this.stats.checkpoints += 1;
      if (result.log > (this.options.maxWalFrames ?? 4096) && result.checkpointed < result.log) {
        await db.raw('PRAGMA wal_checkpoint(PASSIVE)');
        this.stats.writerCheckpoints += 1;
      }
      return result;
    } catch (err) {
      this.options.logger.warn({ err }, 'WAL checkpoint failed; will try again');
      return null;
    }
  }

  /** Stops the timer, lets a running checkpoint finish and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    const conn = this.conn;
    this.conn = null;
    if (conn) await close(conn);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.checkpoint().finally(() => this.schedule());
    }, this.options.intervalMs ?? 250);
    this.timer.unref();
  }
}

function get<T>(conn: sqlite3.Database, sql: string): Promise<T> {
  return new Promise((resolve, reject) => conn.get(sql, (err: Error | null, row: T) => (err ? reject(err) : resolve(row))));
}

function open(filename: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const conn = new sqlite3.Database(filename, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(conn)));
  });
}

function exec(conn: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => conn.exec(sql, (err) => (err ? reject(err) : resolve())));
}

function close(conn: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => conn.close(() => resolve()));
}

/** SQLite: WAL checkpoints from a connection of their own; without it SQLite's automatic ones stay on. */
export async function startWalCheckpointer(filename: string, db: Knex, logger: Logger): Promise<WalCheckpointer | null> {
  const checkpointer = new WalCheckpointer({ filename, logger });
  try {
    await checkpointer.start(db);
    return checkpointer;
  } catch (err) {
    logger.warn({ err }, 'could not open the WAL checkpoint connection; SQLite checkpoints during commits instead');
    await checkpointer.stop();
    return null;
  }
}
