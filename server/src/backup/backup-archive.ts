/**
 * `connectdesk backup --to FILE`: a consistent copy of a SQLite deployment, taken while the server
 * runs. The database is snapshotted first (one read transaction, see snapshotSqlite); the rest of
 * DATA_DIR is gathered after it. Media files are written under their final name before the row
 * that points at them commits and are never changed or removed afterwards, so every media file
 * the snapshot refers to is already on disk when the folder is read.
 *
 * The files are gathered as hard links in a work folder inside DATA_DIR (a copy where links are
 * not possible), archived from there, and the archive appears under its name only once complete.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { create as createTar } from 'tar';
import { BackupError, COUNTED_TABLES, DATABASE_ENTRY, FORMAT, MANIFEST_ENTRY, databaseFilesIn, leftOutOfBackup, type Manifest } from './archive-layout.ts';
import { countRows, integrityProblems, migrationNames, snapshotSqlite } from './sqlite-files.ts';

export interface BackupOptions {
  dataDir: string;
  databaseFile: string;
  /** The archive to write (.tar.gz). */
  to: string;
  /** Overwrite `to` when it exists. */
  force?: boolean;
  appVersion: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: Manifest;
}

/** Hard-link (else copy) every file of `dataDir` that belongs in the backup into `into`; returns the count. */
function gatherFiles(dataDir: string, into: string, leaveOut: (rel: string) => boolean): number {
  let count = 0;
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dataDir, rel), { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (leaveOut(childRel)) continue;
      const src = path.join(dataDir, childRel);
      const dest = path.join(into, childRel);
      if (entry.isDirectory()) {
        fs.mkdirSync(dest, { recursive: true });
        walk(childRel);
      } else if (entry.isFile()) {
        try {
          fs.linkSync(src, dest);
        } catch {
          fs.copyFileSync(src, dest);
        }
        count += 1;
      }
    }
  };
  walk('');
  return count;
}

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const dataDir = path.resolve(opts.dataDir);
  const databaseFile = path.resolve(opts.databaseFile);
  const to = path.resolve(opts.to);
  if (fs.existsSync(to) && !opts.force) throw new BackupError(`${to} already exists; choose another name or pass --force to overwrite it`);
  if (!fs.existsSync(databaseFile)) throw new BackupError(`there is no database at ${databaseFile}: nothing to back up (check DATA_DIR)`);
  fs.mkdirSync(path.dirname(to), { recursive: true });

  const work = fs.mkdtempSync(path.join(dataDir, '.backup-'));
  const partial = `${to}.partial-${randomBytes(4).toString('hex')}`;
  try {
    const snapshot = path.join(work, DATABASE_ENTRY);
    await snapshotSqlite(databaseFile, snapshot);
    const problems = await integrityProblems(snapshot);
    if (problems.length > 0) throw new BackupError(`the database snapshot fails its integrity check: ${problems.slice(0, 5).join('; ')}`);

    const databaseFiles = databaseFilesIn(dataDir, databaseFile);
    const archiveRel = path.relative(dataDir, to).split(path.sep).join('/');
    const files = gatherFiles(
      dataDir,
      work,
      (rel) =>
        leftOutOfBackup(rel, databaseFiles) ||
        rel === archiveRel ||
        rel.startsWith(`${archiveRel}.partial-`) ||
        rel === DATABASE_ENTRY ||
        rel === MANIFEST_ENTRY,
    );
    const manifest: Manifest = {
      format: FORMAT,
      version: 1,
      created_at: new Date().toISOString(),
      app_version: opts.appVersion,
      database: DATABASE_ENTRY,
      migrations: await migrationNames(snapshot),
      counts: await countRows(snapshot, COUNTED_TABLES),
      files,
    };
    fs.writeFileSync(path.join(work, MANIFEST_ENTRY), JSON.stringify(manifest, null, 2) + '\n');

    const rest = fs
      .readdirSync(work)
      .filter((n) => n !== MANIFEST_ENTRY && n !== DATABASE_ENTRY)
      .sort();
    // The archive holds app.key and encrypted tokens: readable by its owner only.
    await createTar({ gzip: true, file: partial, cwd: work, portable: true, mode: 0o600 }, [MANIFEST_ENTRY, DATABASE_ENTRY, ...rest]);
    const fd = fs.openSync(partial, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, to);
    return { file: to, bytes: fs.statSync(to).size, manifest };
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}
