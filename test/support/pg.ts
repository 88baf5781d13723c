/**
 * Fresh PostgreSQL databases for tests: every server (or store test) gets its own
 * `cd_test_<created-at>_<random>` database, created through the maintenance URL in
 * TEST_DATABASE_URL and dropped afterwards, so suites never see each other's rows. Servers get a
 * copy of an already-migrated template (one per migration set), which is much cheaper than
 * migrating every database. Databases left behind by a killed run are dropped by a later run once
 * they are a few hours old.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDb, migrate } from '../../server/src/db/knex.ts';
import { migrationSource } from '../../server/src/db/migrations/index.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

const PREFIX = 'cd_test_';
const STALE_AFTER_S = 6 * 3600;
const MARKER = 'test-database-url';
/** The comment on a data dir's database: the dir it belongs to. */
const DATA_DIR_NOTE = 'data-dir:';

/** The URL of the same server with another database name. */
function withDatabase(baseUrl: string, name: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onMaintenance<T>(baseUrl: string, fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb({ client: 'pg', connectionString: baseUrl });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Test databases, half-built templates and templates of other migration sets, once stale; and at
 * once, the database of a data dir that its test has removed (that test is over).
 */
async function dropStale(db: ReturnType<typeof createDb>, nowS: number, keepTemplate: string | null): Promise<void> {
  const rows = (await db.raw(`SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname LIKE 'cd\\_t%'`)).rows as {
    datname: string;
    note: string | null;
  }[];
  for (const { datname, note } of rows) {
    if (datname === keepTemplate) continue;
    const created = Number(/^cd_(?:test|tpl_[0-9a-f]+|tplb_[0-9a-f]+)_(\d+)(?:_[0-9a-f]+)?$/.exec(datname)?.[1]);
    const orphaned = note?.startsWith(DATA_DIR_NOTE) && !fs.existsSync(note.slice(DATA_DIR_NOTE.length));
    if (orphaned || (Number.isFinite(created) && nowS - created > STALE_AFTER_S)) await db.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

/** A short hash of the migration list: a new migration means a new template. */
async function migrationSetHash(): Promise<string> {
  const names = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 12);
}

let templateOnce: Promise<string> | null = null;

/**
 * The migrated template for the current migration set: found, or built under a temporary name and
 * renamed when complete, so a concurrent worker never copies a half-migrated one.
 */
function migratedTemplate(baseUrl: string): Promise<string> {
  templateOnce ??= (async () => {
    const hash = await migrationSetHash();
    const existing = async () =>
      onMaintenance(baseUrl, async (db) => {
        const rows = (await db.raw(`SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY datname LIMIT 1`, [`cd\\_tpl\\_${hash}\\_%`])).rows as {
          datname: string;
        }[];
        return rows[0]?.datname ?? null;
      });
    const found = await existing();
    if (found) return found;
    const nowS = Math.floor(Date.now() / 1000);
    const building = `cd_tplb_${hash}_${nowS}_${randomBytes(4).toString('hex')}`;
    const final = `cd_tpl_${hash}_${nowS}`;
    await onMaintenance(baseUrl, (db) => db.raw(`CREATE DATABASE "${building}"`));
    const tpl = createDb({ client: 'pg', connectionString: withDatabase(baseUrl, building) });
    try {
      await migrate(tpl);
    } finally {
      await tpl.destroy();
    }
    return onMaintenance(baseUrl, async (db) => {
      try {
        await db.raw(`ALTER DATABASE "${building}" RENAME TO "${final}"`);
        return final;
      } catch (err) {
        // Another worker finished the same template first (42P04 duplicate_database): use theirs.
        await db.raw(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        if ((err as { code?: string }).code !== '42P04') throw err;
        return (await existing()) ?? final;
      }
    });
  })().catch((err: unknown) => {
    templateOnce = null;
    throw err;
  });
  return templateOnce;
}

function handle(baseUrl: string, name: string): TestDatabase {
  let dropped: Promise<void> | null = null;
  return {
    url: withDatabase(baseUrl, name),
    name,
    drop() {
      dropped ??= onMaintenance(baseUrl, async (db) => {
        await db.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
      return dropped;
    },
  };
}

/** An empty database, or with `migrated`, a copy of the migrated template. */
export async function createTestDatabase(baseUrl: string, opts: { migrated?: boolean; dataDir?: string } = {}): Promise<TestDatabase> {
  const template = opts.migrated ? await migratedTemplate(baseUrl) : null;
  const nowS = Math.floor(Date.now() / 1000);
  const name = `${PREFIX}${nowS}_${randomBytes(5).toString('hex')}`;
  await onMaintenance(baseUrl, async (db) => {
    await db.raw(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
    if (opts.dataDir) await db.raw(`COMMENT ON DATABASE "${name}" IS '${(DATA_DIR_NOTE + path.resolve(opts.dataDir)).replace(/'/g, "''")}'`);
    await dropStale(db, nowS, template);
  });
  return handle(baseUrl, name);
}

/**
 * The database that belongs to a data dir a test manages itself (to restart a server on the same
 * data): created on first use and remembered in the data dir, so a restart finds the same rows.
 * It is dropped by a later sweep once the test has removed the data dir.
 */
export async function testDatabaseFor(baseUrl: string, dataDir: string): Promise<TestDatabase> {
  const marker = path.join(dataDir, MARKER);
  if (fs.existsSync(marker)) {
    const name = new URL(fs.readFileSync(marker, 'utf8').trim()).pathname.slice(1);
    return handle(baseUrl, name);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const created = await createTestDatabase(baseUrl, { migrated: true, dataDir });
  fs.writeFileSync(marker, created.url + '\n');
  return created;
}
