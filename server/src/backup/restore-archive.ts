/**
 * `connectdesk restore --from FILE`: put a backup made by `connectdesk backup` back into DATA_DIR.
 * Never while a process has the database open (a running server would go on writing into the old
 * file and corrupt the new one — not even with --force). When DATA_DIR already holds data it
 * refuses unless --force, and then moves the old data aside into DATA_DIR/before-restore-<time>/
 * rather than deleting it. The archive is unpacked and checked (manifest, known migrations,
 * SQLite integrity) in a work folder first, so a bad archive changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { extract } from 'tar';
import { BackupError, DATABASE_ENTRY, MANIFEST_ENTRY, ManifestSchema, notData, type Manifest } from './archive-layout.ts';
import { databaseInUse, integrityProblems } from './sqlite-files.ts';

export interface RestoreOptions {
  dataDir: string;
  databaseFile: string;
  /** The archive made by `connectdesk backup`. */
  from: string;
  /** Move existing data aside instead of refusing. */
  force?: boolean;
  /** Migrations this version of the server knows; a backup with others comes from a newer one. */
  knownMigrations: string[];
}

export interface RestoreResult {
  manifest: Manifest;
  /** Where the data that was there before went (null when DATA_DIR held none). */
  movedAside: string | null;
}

/** rename, or copy and remove when source and destination are on different file systems. */
function move(src: string, dest: string): void {
  try {
    fs.renameSync(src, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.cpSync(src, dest, { recursive: true, preserveTimestamps: true });
    fs.rmSync(src, { recursive: true, force: true });
  }
}

function chownTree(p: string, uid: number, gid: number): void {
  fs.lchownSync(p, uid, gid);
  if (fs.lstatSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chownTree(path.join(p, e), uid, gid);
}

function readManifest(work: string, from: string): Manifest {
  const file = path.join(work, MANIFEST_ENTRY);
  if (!fs.existsSync(file)) throw new BackupError(`${from} is not a ConnectDesk backup: it has no ${MANIFEST_ENTRY}`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new BackupError(`${from}: ${MANIFEST_ENTRY} is not valid JSON`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new BackupError(`${from} is not a ConnectDesk backup this version can read (${parsed.error.issues[0]?.message ?? 'bad manifest'})`);
  return parsed.data;
}

async function assertNotInUse(databaseFile: string): Promise<void> {
  if (await databaseInUse(databaseFile)) {
    throw new BackupError(
      `${databaseFile} is open in another process (a running server?): stop the server first — restore never replaces a database in use, not even with --force`,
    );
  }
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const dataDir = path.resolve(opts.dataDir);
  const databaseFile = path.resolve(opts.databaseFile);
  const from = path.resolve(opts.from);
  if (!fs.existsSync(from)) throw new BackupError(`${from} does not exist`);
  fs.mkdirSync(dataDir, { recursive: true });
  await assertNotInUse(databaseFile);

  const existing = fs.readdirSync(dataDir).filter((n) => !notData(n));
  const databaseThere = fs.existsSync(databaseFile);
  if ((existing.length > 0 || databaseThere) && !opts.force) {
    const what = [...new Set([...(databaseThere ? [path.basename(databaseFile)] : []), ...existing])].join(', ');
    throw new BackupError(
      `${dataDir} already holds data (${what}); restoring would replace it. Pass --force to move it aside into ${path.join(dataDir, 'before-restore-<time>')} first`,
    );
  }

  const work = fs.mkdtempSync(path.join(dataDir, '.restore-'));
  try {
    try {
      await extract({ file: from, cwd: work, strict: true });
    } catch (err) {
      throw new BackupError(`${from} is not a readable backup archive (${(err as Error).message})`);
    }
    const manifest = readManifest(work, from);
    const unknown = manifest.migrations.filter((m) => !opts.knownMigrations.includes(m));
    if (unknown.length > 0) {
      throw new BackupError(`${from} was made by a newer ConnectDesk (${manifest.app_version}; migrations ${unknown.join(', ')}): upgrade this server first`);
    }
    const database = path.join(work, DATABASE_ENTRY);
    if (!fs.existsSync(database)) throw new BackupError(`${from} holds no ${DATABASE_ENTRY}`);
    const problems = await integrityProblems(database);
    if (problems.length > 0) throw new BackupError(`the database in ${from} fails its integrity check: ${problems.slice(0, 5).join('; ')}`);

    // Checked again right before anything moves: a server may have started meanwhile.
    await assertNotInUse(databaseFile);
    let movedAside: string | null = null;
    if (existing.length > 0 || databaseThere) {
      movedAside = path.join(dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      fs.mkdirSync(movedAside);
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        const f = databaseFile + suffix;
        if (fs.existsSync(f)) move(f, path.join(movedAside, path.basename(f)));
      }
      for (const name of existing) {
        if (fs.existsSync(path.join(dataDir, name))) move(path.join(dataDir, name), path.join(movedAside, name));
      }
    }

    fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
    move(database, databaseFile);
    const restored = [databaseFile];
    for (const name of fs.readdirSync(work)) {
      if (name === MANIFEST_ENTRY) continue;
      move(path.join(work, name), path.join(dataDir, name));
      restored.push(path.join(dataDir, name));
    }
    // Run as root for a server that runs as another user: hand the files to DATA_DIR's owner.
    if (process.getuid?.() === 0) {
      const { uid, gid } = fs.statSync(dataDir);
      for (const p of restored) chownTree(p, uid, gid);
    }
    return { manifest, movedAside };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
