/**
 * For tests: a fresh SQLite database in a temp folder of its own before each test (migrated
 * unless asked not to), closed and removed after it. Call inside a `describe`; the suite's own
 * hooks registered after this one run after the database is open and before it is closed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach } from 'vitest';
import { createDb, migrate } from '../src/db/knex.ts';

export interface TempSqlite {
  /** The open database of the current test. */
  readonly db: Knex;
  /** Its file. */
  readonly file: string;
}

export function useTempSqlite(opts: { migrate?: boolean } = {}): TempSqlite {
  let current: { db: Knex; file: string; dir: string } | null = null;
  beforeEach(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-db-'));
    const file = path.join(dir, 'db.sqlite');
    const db = createDb({ client: 'sqlite', filename: file });
    current = { db, file, dir };
    if (opts.migrate ?? true) await migrate(db);
  });
  afterEach(async () => {
    if (!current) return;
    const { db, dir } = current;
    current = null;
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    if (!current) throw new Error('useTempSqlite: no database outside a test');
    return current;
  };
  return {
    get db() {
      return open().db;
    },
    get file() {
      return open().file;
    },
  };
}
