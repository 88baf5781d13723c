import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createLogger } from '../../logger.ts';
import { createDb } from '../knex.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

const logger = createLogger({ level: 'silent' });

describe('WalCheckpointer (SQLite)', () => {
  const tmp = useTempSqlite({ migrate: false });
  let file: string;
  let db: Knex;
  beforeEach(async () => {
    db = tmp.db;
    file = tmp.file;
    await db.schema.createTable('t', (t) => {
      t.increments('id');
      t.text('v');
    });
  });

  const autocheckpoint = async () => ((await db.raw('PRAGMA wal_autocheckpoint')) as { wal_autocheckpoint: number }[])[0]!.wal_autocheckpoint;
  const write = (rows: number) => db('t').insert(Array.from({ length: rows }, () => ({ v: 'x'.repeat(3500) }))); // a page per row

  it('turns off checkpoints inside commits and copies the WAL into the database from its own connection', async () => {
    expect(await autocheckpoint()).toBe(1000);
    const ckpt = new WalCheckpointer({ filename: file, logger, intervalMs: 60_000 });
    await ckpt.start(db);
    try {
      expect(await autocheckpoint()).toBe(0);
      for (let i = 0; i < 15; i++) await write(100); // 1,500 pages: past SQLite's default 1,000-page threshold
      const result = await ckpt.checkpoint();
      expect(result).not.toBeNull();
      expect(result!.busy).toBe(0);
      expect(result!.log).toBeGreaterThan(1000); // no commit checkpointed on its own
      expect(result!.checkpointed).toBe(result!.log); // nothing was writing: all of it copied
      // A reader on a fresh connection sees every row: the checkpoint moved committed pages only.
      const other = createDb({ client: 'sqlite', filename: file });
      expect(Number(((await other('t').count({ n: '*' })) as { n: number }[])[0]!.n)).toBe(1500);
      await other.destroy();
    } finally {
      await ckpt.stop();
    }
  });

  it('lets the writing connection finish a checkpoint when the WAL outgrows the limit, so it starts over', async () => {
    const ckpt = new WalCheckpointer({ filename: file, logger, intervalMs: 60_000, maxWalFrames: 50 });
    await ckpt.start(db);
    try {
      // Writes keep landing while the checkpoint runs: it cannot copy frames that are not there yet.
      const writing = (async () => {
        for (let i = 0; i < 20; i++) await write(20);
      })();
      let sawGrowth = false;
      while (!sawGrowth) {
        const r = await ckpt.checkpoint();
        if (r && r.log > 50) sawGrowth = true;
        if (await Promise.race([writing.then(() => true), Promise.resolve(false)])) break;
      }
      await writing;
      await write(20);
      await ckpt.checkpoint();
      await write(1); // the first commit after a complete checkpoint restarts the WAL
      const after = await ckpt.checkpoint();
      expect(after!.log).toBeLessThan(60);
      expect(ckpt.stats.checkpoints).toBeGreaterThan(2);
    } finally {
      await ckpt.stop();
    }
  });

  it('runs on its timer until stopped, and stop() waits for a running checkpoint', async () => {
    const ckpt = new WalCheckpointer({ filename: file, logger, intervalMs: 10 });
    await ckpt.start(db);
    await write(50);
    const deadline = Date.now() + 5_000;
    while (ckpt.stats.checkpoints < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(ckpt.stats.checkpoints).toBeGreaterThanOrEqual(3);
    await ckpt.stop();
    const stopped = ckpt.stats.checkpoints;
    await new Promise((r) => setTimeout(r, 60));
    expect(ckpt.stats.checkpoints).toBe(stopped);
    expect(await ckpt.checkpoint()).toBeNull();
  });

  it('refuses to start on a file it cannot open, leaving SQLite’s own checkpoints on', async () => {
    const ckpt = new WalCheckpointer({ filename: path.join(path.dirname(file), 'missing', 'nope.sqlite'), logger });
    await expect(ckpt.start(db)).rejects.toThrow();
    expect(await autocheckpoint()).toBe(1000);
    await ckpt.stop();
  });
});
