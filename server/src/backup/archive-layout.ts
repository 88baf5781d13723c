/**
 * What a ConnectDesk backup archive holds (a gzipped tar): `manifest.json`, the database snapshot
 * as `connectdesk.sqlite`, and every other file of DATA_DIR as it lies there — `media/`, `app.key`
 * and whatever else the server keeps beside them. Left out: the live database files (the snapshot
 * replaces them), unfinished uploads and temp files, the work folders of backup and restore, and
 * DATA_DIR/backups/ (a place for the archives themselves, e.g. inside a container's volume).
 */
import path from 'node:path';
import { z } from 'zod';

export const MANIFEST_ENTRY = 'manifest.json';
export const DATABASE_ENTRY = 'connectdesk.sqlite';
export const FORMAT = 'connectdesk-backup';
/** Tables counted into the manifest and reported back by restore. */
export const COUNTED_TABLES = ['conversations', 'messages', 'media'];

export const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  created_at: z.string(),
  app_version: z.string(),
  database: z.literal(DATABASE_ENTRY),
  migrations: z.array(z.string()),
  counts: z.record(z.string(), z.number()),
  files: z.number().int().nonnegative(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** A refusal or failure that the CLI shows as it is (no stack trace). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Work folders of a backup or restore in progress, and what a restore moved aside. */
const WORK_DIR_PREFIXES = ['.backup-', '.restore-', 'before-restore-'];
/** DATA_DIR/backups/: archives kept beside the data, never part of a backup nor replaced by a restore. */
const BACKUPS_DIR = 'backups';

/** Top-level entries of DATA_DIR that are not the server's data. */
export function notData(top: string): boolean {
  return top === BACKUPS_DIR || WORK_DIR_PREFIXES.some((p) => top.startsWith(p));
}

/**
 * Whether a path inside DATA_DIR (relative, `/`-separated) stays out of the archive. `databaseFiles`
 * are the live database and its -wal/-shm/-journal when they live inside DATA_DIR.
 */
export function leftOutOfBackup(rel: string, databaseFiles: Set<string>): boolean {
  const [top = ''] = rel.split('/');
  if (notData(top)) return true;
  if (databaseFiles.has(rel)) return true;
  if (rel === 'media/.incoming' || rel.startsWith('media/.incoming/')) return true;
  return rel.endsWith('.tmp');
}

/** The database file and its companions, relative to DATA_DIR (empty when it lives elsewhere). */
export function databaseFilesIn(dataDir: string, databaseFile: string): Set<string> {
  const rel = path.relative(dataDir, databaseFile);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return new Set();
  const base = rel.split(path.sep).join('/');
  return new Set([base, `${base}-wal`, `${base}-shm`, `${base}-journal`]);
}
