/**
 * `connectdesk backup` / `restore` (server/src/backup): an online copy of a running SQLite server
 * that is consistent under concurrent writes, and a restore that refuses to hurt live or existing
 * data. The server runs as its own process; writers keep sending signed webhooks (each answered
 * 200 only once it is on disk) and WhatsApp images (media files) all through the backup. After a
 * restore into a fresh DATA_DIR, every webhook answered before the backup started must be there and
 * end up as a message, nothing sent after the backup finished may be, the database passes
 * `PRAGMA integrity_check`, and every stored media row has its file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { create as createTar, extract as extractTar, list as listTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess, textWebhook, withDatabase } from '../support/process.ts';
import { ROOT } from '../support/cluster.ts';
import { tempDir, waitFor } from '../support/server.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const dirs: string[] = [];

function newDir(prefix: string): string {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}

/** `pnpm connectdesk …` as its own process, without blocking this one (the writers keep going). */
function connectdesk(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/cli.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Names in a folder, for "nothing changed" checks. */
const listing = (dir: string) => fs.readdirSync(dir).sort();

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('backup while the server takes writes, then restore', () => {
  let server: ServerProcess;
  let archive: string;
  const answeredBefore: string[] = [];
  const sentAfter: string[] = [];
  let answeredDuring = 0;
  let imagesSent = 0;

  beforeAll(async () => {
    server = await ServerProcess.create();
    await server.start();
    // Some history first, so the snapshot has pages to copy.
    for (let i = 0; i < 150; i += 1) {
      const wamid = `wamid.seed-${i}`;
      const res = await server.webhook(textWebhook({ waId: `4915100${String(i % 30).padStart(5, '0')}`, wamid, text: `seed ${i}` }));
      expect(res.status).toBe(200);
      answeredBefore.push(wamid);
    }
  });

  afterAll(() => server.dispose());

  it('copies a consistent snapshot: everything answered before it, nothing sent after it', async () => {
    archive = path.join(newDir('connectdesk-backups-'), 'backup.tar.gz');
    let phase: 'before' | 'during' | 'after' = 'before';
    let stop = false;
    let n = 0;
    const writer = async (w: number) => {
      while (!stop) {
        const wamid = `wamid.w${w}-${(n += 1)}`;
        const sentIn = phase;
        if (sentIn === 'after') sentAfter.push(wamid);
        const res = await server.webhook(textWebhook({ waId: `4915200${String(w).padStart(5, '0')}`, wamid, text: `written by ${w}` }));
        expect(res.status).toBe(200);
        if (sentIn === 'before' && phase === 'before') answeredBefore.push(wamid);
        if (phase === 'during') answeredDuring += 1;
      }
    };
    // A customer's photos too: the server downloads each and writes a media file, during the backup.
    const photographer = async () => {
      while (!stop) {
        const res = await server.fetch('/sandbox/phones/4915300000001/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'image', image: { mime_type: 'image/png', data_base64: PNG.toString('base64'), caption: `photo ${imagesSent}` } }),
        });
        expect(res.status).toBeLessThan(300);
        imagesSent += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const writers = [writer(1), writer(2), writer(3), photographer()];
    await waitFor(() => answeredBefore.length > 250 && imagesSent > 3, { timeout: 30_000, message: 'writes before the backup' });

    phase = 'during';
    const backup = await connectdesk(['backup', '--to', archive], { DATA_DIR: server.dataDir });
    phase = 'after';
    await waitFor(() => sentAfter.length > 20, { timeout: 30_000, message: 'writes after the backup' });
    stop = true;
    await Promise.all(writers);

    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backup written to .*backup\.tar\.gz \(\d+ KB\): \d+ conversations, \d+ messages, \d+ media, \d+ files from /);
    // The writers really were writing while the backup ran.
    expect(answeredDuring).toBeGreaterThan(0);
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    // No work folder or partial archive is left behind.
    expect(fs.readdirSync(server.dataDir).filter((n) => n.startsWith('.backup-'))).toEqual([]);
    expect(fs.readdirSync(path.dirname(archive))).toEqual(['backup.tar.gz']);
  });

  it('restores into a fresh DATA_DIR: integrity ok, every answered webhook there, every media file present', async () => {
    const restored = newDir('connectdesk-restored-');
    fs.rmSync(restored, { recursive: true });
    const res = await connectdesk(['restore', '--from', archive], { DATA_DIR: restored });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^restored the backup of \S+ into .*: \d+ conversations, \d+ messages, \d+ media$/m);
    expect(fs.existsSync(path.join(restored, 'app.key'))).toBe(true);
    expect(fs.readFileSync(path.join(restored, 'app.key'))).toEqual(fs.readFileSync(path.join(server.dataDir, 'app.key')));

    await withDatabase(restored, async (db) => {
      expect(await db.raw('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(await db.raw('PRAGMA foreign_key_check')).toEqual([]);
      // Answered = on disk: applied as a message, or still in the webhook inbox waiting to be.
      const applied = new Set((await db('messages').whereNotNull('wamid').select('wamid')).map((r: { wamid: string }) => r.wamid));
      const raw = (await db('webhook_events').select('raw_body')).map((r: { raw_body: string }) => String(r.raw_body)).join('\n');
      const missing = answeredBefore.filter((w) => !applied.has(w) && !raw.includes(`"${w}"`));
      expect(missing).toEqual([]);
      const leaked = sentAfter.filter((w) => applied.has(w) || raw.includes(`"${w}"`));
      expect(leaked).toEqual([]);
      const media = await db<{ storage_path: string; size: number }>('media').whereNotNull('storage_path').select('storage_path', 'size');
      expect(media.length).toBeGreaterThan(0);
      for (const m of media) expect(fs.statSync(path.join(restored, 'media', m.storage_path)).size).toBe(m.size);
    });

    // A server on the restored DATA_DIR applies what was still pending: every answered webhook becomes a message.
    const again = await ServerProcess.create({ dataDir: restored });
    try {
      await again.start();
      await waitFor(
        () =>
          withDatabase(restored, async (db) => {
            const have = new Set((await db('messages').whereIn('wamid', answeredBefore).select('wamid')).map((r: { wamid: string }) => r.wamid));
            return answeredBefore.every((w) => have.has(w));
          }),
        { timeout: 60_000, interval: 200, message: 'every answered webhook applied on the restored server' },
      );
      const list = await again.admin('/admin/api/conversations');
      expect(list.status).toBe(200);
      expect(list.body.data.length).toBeGreaterThan(0);
    } finally {
      await again.dispose();
    }
  });

  it('refuses to restore over the running server, even with --force, and changes nothing', async () => {
    const before = listing(server.dataDir);
    for (const args of [
      ['restore', '--from', archive],
      ['restore', '--from', archive, '--force'],
    ]) {
      const res = await connectdesk(args, { DATA_DIR: server.dataDir });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^error: .*connectdesk\.sqlite is open in another process \(a running server\?\): stop the server first/);
    }
    expect(listing(server.dataDir)).toEqual(before);
    expect((await server.fetch('/healthz')).status).toBe(200);
  });
});

describe('restore into a stopped server with data', () => {
  let archive: string;
  let dataDir: string;

  beforeAll(async () => {
    const source = await ServerProcess.create();
    try {
      await source.start();
      expect((await source.webhook(textWebhook({ waId: '4915400000001', wamid: 'wamid.from-the-backup', text: 'from the backup' }))).status).toBe(200);
      archive = path.join(newDir('connectdesk-backups-'), 'b.tar.gz');
      expect((await connectdesk(['backup', '--to', archive], { DATA_DIR: source.dataDir })).code).toBe(0);
    } finally {
      await source.dispose();
    }
    const target = await ServerProcess.create();
    dataDir = target.dataDir;
    dirs.push(dataDir);
    await target.start();
    expect((await target.webhook(textWebhook({ waId: '4915400000002', wamid: 'wamid.already-there', text: 'already there' }))).status).toBe(200);
    // A webhook is applied after it is acknowledged; the checks below look for the message itself.
    await waitFor(() => withDatabase(dataDir, async (db) => (await db('messages').where({ wamid: 'wamid.already-there' })).length === 1), {
      timeout: 30_000,
      interval: 200,
      message: 'the webhook applied before the server stops',
    });
    expect(await target.terminate()).toBe(0);
  });

  it('refuses without --force and changes nothing', async () => {
    const before = listing(dataDir);
    const res = await connectdesk(['restore', '--from', archive], { DATA_DIR: dataDir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/already holds data \(connectdesk\.sqlite.*\); restoring would replace it\. Pass --force/);
    expect(listing(dataDir)).toEqual(before);
  });

  it('refuses a file that is not a backup, and one from a newer version, changing nothing', async () => {
    const before = listing(dataDir);
    const junk = path.join(newDir('connectdesk-junk-'), 'junk.tar.gz');
    fs.writeFileSync(junk, 'not an archive at all');
    const notArchive = await connectdesk(['restore', '--from', junk, '--force'], { DATA_DIR: dataDir });
    expect(notArchive.code).toBe(1);
    expect(notArchive.stderr).toMatch(/junk\.tar\.gz is not a readable backup archive/);

    // The same backup, but its manifest lists a migration this version does not know.
    const unpacked = newDir('connectdesk-unpacked-');
    await extractTar({ file: archive, cwd: unpacked });
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
    manifest.migrations.push('29990101000000_from_the_future');
    fs.writeFileSync(path.join(unpacked, 'manifest.json'), JSON.stringify(manifest));
    const newer = path.join(newDir('connectdesk-newer-'), 'newer.tar.gz');
    await createTar({ gzip: true, file: newer, cwd: unpacked }, fs.readdirSync(unpacked));
    const fromNewer = await connectdesk(['restore', '--from', newer, '--force'], { DATA_DIR: dataDir });
    expect(fromNewer.code).toBe(1);
    expect(fromNewer.stderr).toMatch(/was made by a newer ConnectDesk .*29990101000000_from_the_future.*upgrade this server first/);

    expect(listing(dataDir)).toEqual(before);
    await withDatabase(dataDir, async (db) => {
      expect((await db('messages').where({ wamid: 'wamid.already-there' })).length).toBe(1);
    });
  });

  it('with --force moves the old data aside, then restores', async () => {
    const res = await connectdesk(['restore', '--from', archive, '--force'], { DATA_DIR: dataDir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const aside = /the data that was there before is in (\S+) /.exec(res.stdout)?.[1];
    expect(aside).toBeDefined();
    expect(path.dirname(aside!)).toBe(dataDir);
    expect(fs.existsSync(path.join(aside!, 'connectdesk.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(aside!, 'app.key'))).toBe(true);
    await withDatabase(dataDir, async (db) => {
      const wamids = (await db('messages').whereNotNull('wamid').select('wamid')).map((r: { wamid: string }) => r.wamid);
      const pending = (await db('webhook_events').select('raw_body')).map((r: { raw_body: string }) => String(r.raw_body)).join('\n');
      expect(wamids.includes('wamid.from-the-backup') || pending.includes('wamid.from-the-backup')).toBe(true);
      expect(wamids).not.toContain('wamid.already-there');
    });
    await withDatabase(aside!, async (db) => {
      expect((await db('messages').where({ wamid: 'wamid.already-there' })).length).toBe(1);
    });
  });
});

describe('backup and restore: refusals', () => {
  it('backup will not overwrite an archive without --force, and leaves DATA_DIR/backups out', async () => {
    const source = await ServerProcess.create();
    try {
      await source.start();
      const file = path.join(newDir('connectdesk-backups-'), 'exists.tar.gz');
      fs.writeFileSync(file, 'keep me');
      const res = await connectdesk(['backup', '--to', file], { DATA_DIR: source.dataDir });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/exists\.tar\.gz already exists; choose another name or pass --force/);
      expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
      const forced = await connectdesk(['backup', '--to', file, '--force'], { DATA_DIR: source.dataDir });
      expect(forced.code).toBe(0);
      expect(fs.readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip

      // DATA_DIR/backups/ holds archives, and is never part of one.
      fs.mkdirSync(path.join(source.dataDir, 'backups'));
      fs.copyFileSync(file, path.join(source.dataDir, 'backups/earlier.tar.gz'));
      const inside = path.join(source.dataDir, 'backups/today.tar.gz');
      expect((await connectdesk(['backup', '--to', inside], { DATA_DIR: source.dataDir })).code).toBe(0);
      const entries: string[] = [];
      await listTar({ file: inside, onReadEntry: (e) => void entries.push(e.path) });
      expect(entries.slice(0, 2)).toEqual(['manifest.json', 'connectdesk.sqlite']);
      expect(entries).toContain('app.key');
      expect(entries.filter((e) => e.startsWith('backups') || e.includes('.sqlite-') || e.startsWith('.backup-'))).toEqual([]);
    } finally {
      await source.dispose();
    }
  });

  it('backup of a data dir without a database says so', async () => {
    const empty = newDir('connectdesk-empty-');
    const res = await connectdesk(['backup', '--to', path.join(empty, 'b.tar.gz')], { DATA_DIR: empty });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/there is no database at .*connectdesk\.sqlite: nothing to back up/);
    expect(listing(empty)).toEqual([]);
  });

  it('PostgreSQL deployments are pointed at pg_dump', async () => {
    for (const command of [
      ['backup', '--to', '/tmp/never.tar.gz'],
      ['restore', '--from', '/tmp/never.tar.gz'],
    ]) {
      const res = await connectdesk(command, { DATABASE_URL: 'postgres://connectdesk@127.0.0.1:1/none' });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/DATABASE_URL points at PostgreSQL: .* Use pg_dump \/ pg_restore/);
    }
    expect(fs.existsSync('/tmp/never.tar.gz')).toBe(false);
  });

  it('missing options print the usage', async () => {
    for (const args of [['backup'], ['restore'], ['backup', '--to']]) {
      const res = await connectdesk(args, {});
      expect(res.code).toBe(64);
      expect(res.stderr).toContain('backup         --to FILE [--force]');
    }
  });
});
