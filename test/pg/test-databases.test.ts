/**
 * With TEST_DATABASE_URL every test server gets its own PostgreSQL database: fresh, migrated,
 * dropped on stop(); a data dir the test manages keeps its database across restarts until the
 * test removes the dir.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import { createTestDatabase } from '../support/pg.ts';
import { startTestServer, tempDir } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function databaseExists(name: string): Promise<boolean> {
  const db = createDb({ client: 'pg', connectionString: PG_URL });
  try {
    const { rows } = await db.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    return rows.length === 1;
  } finally {
    await db.destroy();
  }
}

const dbName = (url: string) => new URL(url).pathname.slice(1);

describe('per-server PostgreSQL databases', () => {
  it('gives each server a fresh migrated database and drops it on stop()', async () => {
    const one = await startTestServer();
    const two = await startTestServer();
    try {
      const [a, b] = [one.env.DATABASE_URL!, two.env.DATABASE_URL!];
      expect(a).toMatch(/^postgres:\/\/.*\/cd_test_\d+_[0-9a-f]+$/);
      expect(dbName(a)).not.toBe(dbName(b));
      const posted = await one.fetch('/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'only on one' }),
      });
      expect(posted.status).toBe(201);
      expect((await two.admin('/admin/api/conversations')).body.data).toEqual([]);
      expect((await one.admin('/admin/api/conversations')).body.data).toHaveLength(1);
    } finally {
      await one.stop();
      await two.stop();
    }
    expect(await databaseExists(dbName(one.env.DATABASE_URL!))).toBe(false);
    expect(await databaseExists(dbName(two.env.DATABASE_URL!))).toBe(false);
  });

  it('keeps the database of a managed data dir across restarts, and sweeps it once the dir is gone', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({}, { dataDir });
    const posted = await first.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'survives a restart' }),
    });
    expect(posted.status).toBe(201);
    await first.stop();
    const second = await startTestServer({}, { dataDir });
    const name = dbName(second.env.DATABASE_URL!);
    try {
      expect(second.env.DATABASE_URL).toBe(first.env.DATABASE_URL);
      expect((await second.admin('/admin/api/conversations')).body.data).toHaveLength(1);
    } finally {
      await second.stop();
    }
    expect(await databaseExists(name)).toBe(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
    const next = await createTestDatabase(PG_URL);
    await next.drop();
    expect(await databaseExists(name)).toBe(false);
  });
});
