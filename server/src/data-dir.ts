/**
 * DATA_DIR holds every conversation (the SQLite database), stored media and the generated keys, so
 * only the account running ConnectDesk may open it. At start: DATA_DIR is created 0700 and a new
 * SQLite database 0600 (SQLite gives its -wal and -shm files the database's mode); an existing one
 * that others can read is fixed by removing the permissions of "others" (group permissions are
 * left as the owner set them), and each fix is reported. What cannot be fixed (another owner) is a
 * start-up problem, one line each.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DataDirReport {
  /** What was made private, e.g. "DATA_DIR /srv/data (0755 → 0750)". */
  fixed: string[];
  /** What is still open to others and could not be fixed. */
  problems: string[];
}

const OTHERS = 0o007;
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/** The files beside DATA_DIR that must stay private: the database and its companions, and the keys. */
function privateFiles(dataDir: string, sqliteFile: string | null): string[] {
  const files = [path.join(dataDir, 'app.key'), path.join(dataDir, 'sandbox-secrets.json')];
  if (sqliteFile) files.push(sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`, `${sqliteFile}-journal`);
  return files;
}

function closeToOthers(label: string, target: string, report: DataDirReport): void {
  let mode: number;
  try {
    mode = fs.statSync(target).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if ((mode & OTHERS) === 0) return;
  const next = mode & 0o777 & ~OTHERS;
  try {
    fs.chmodSync(target, next);
    report.fixed.push(`${label} ${target} (${octal(mode)} → ${octal(next)})`);
  } catch (err) {
    report.problems.push(
      `${label} ${target} can be read by every user on this machine (mode ${octal(mode)}) and could not be fixed (${(err as NodeJS.ErrnoException).code ?? 'error'}): run chmod o-rwx ${target} as its owner`,
    );
  }
}

export function secureDataDir(opts: { dataDir: string; sqliteFile: string | null; platform?: NodeJS.Platform }): DataDirReport {
  const report: DataDirReport = { fixed: [], problems: [] };
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (opts.sqliteFile) {
    fs.mkdirSync(path.dirname(opts.sqliteFile), { recursive: true, mode: 0o700 });
    // Created here rather than by SQLite, so it never exists with the process umask's mode.
    fs.closeSync(fs.openSync(opts.sqliteFile, 'a', 0o600));
  }
  if ((opts.platform ?? process.platform) === 'win32') return report; // no POSIX modes to speak of
  closeToOthers('DATA_DIR', opts.dataDir, report);
  for (const file of privateFiles(opts.dataDir, opts.sqliteFile)) closeToOthers(file === opts.sqliteFile ? 'database' : 'file', file, report);
  return report;
}
