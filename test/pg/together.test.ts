/**
 * `together` against the real drivers, seen through knex's own query events: on SQLite both
 * statements reach the connection before the first answers (one wait instead of two); on
 * PostgreSQL the second is sent only once the first has answered — node-postgres deprecates a
 * `client.query()` while another runs, and pg 9 removes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db as Knex } from '../../server/src/db/knex.ts';
import { together } from '../../server/src/db/together.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { tempDir } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe.each([
  ['sqlite', ['sent', 'sent', 'answered', 'answered']],
  ['postgres', ['sent', 'answered', 'sent', 'answered']],
] as const)('together on %s', (dialect, order) => {
  let db: Knex;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const dir = tempDir('connectdesk-together-');
      db = createDb({ client: 'sqlite', filename: path.join(dir, 't.sqlite') });
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const database: TestDatabase = await createTestDatabase(PG_URL);
      db = createDb({ client: 'pg', connectionString: database.url });
      cleanup = () => database.drop();
    }
    await db.schema.createTable('t', (t) => t.string('k').primary());
  });

  afterAll(async () => {
    await db.destroy();
    await cleanup();
  });

  it('hands the statements of a transaction to the driver as the dialect allows', async () => {
    const seen: string[] = [];
    const sent = () => seen.push('sent');
    const answered = () => seen.push('answered');
    db.on('query', sent).on('query-response', answered);
    try {
      const [, rows] = await db.transaction(async (trx) => {
        seen.length = 0; // BEGIN
        return together(
          trx,
          async () => trx('t').insert({ k: 'a' }),
          async () => trx('t').select('k'),
        );
      });
      expect(seen.slice(0, 4)).toEqual(order);
      // Each statement ran whole and alone (their order is not promised on SQLite).
      expect(await db('t').select('k')).toEqual([{ k: 'a' }]);
      expect(Array.isArray(rows)).toBe(true);
    } finally {
      db.off('query', sent).off('query-response', answered);
    }
  });
});
