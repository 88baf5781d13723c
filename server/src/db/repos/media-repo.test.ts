import { beforeEach, describe, expect, it } from 'vitest';
import { MediaRepo } from './media-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

const file = { sha256: 'ab', mime: 'image/jpeg', size: 3, storagePath: 'media/x' };

describe('inbound media downloads follow the job lease rules (SQLite)', () => {
  const tmp = useTempSqlite();
  let media: MediaRepo;

  beforeEach(() => {
    media = new MediaRepo(tmp.db);
  });

  const announce = (metaMediaId: string) => media.createInbound({ metaMediaId, mime: 'image/jpeg', expectedSha256: null, filename: null });

  it('leases each download to one claimer, counting the attempt', async () => {
    for (let i = 0; i < 3; i++) await announce(`meta-${i}`);
    const [a, b] = await Promise.all([media.claimDownloads('node-a', 10, 60_000), media.claimDownloads('node-b', 10, 60_000)]);
    const all = [...a, ...b];
    expect(new Set(all.map((r) => r.id)).size).toBe(3);
    expect(all.every((r) => r.attempts === 1 && (r.lease_owner === 'node-a' || r.lease_owner === 'node-b'))).toBe(true);
    expect(await media.claimDownloads('node-c', 10, 60_000)).toEqual([]);
  });

  it('claims an expired lease again, and only the lease holder records the outcome', async () => {
    const row = await announce('meta-1');
    const t = Date.now();
    expect(await media.claimDownloads('dead', 1, 1000, t)).toHaveLength(1);
    expect(await media.claimDownloads('alive', 1, 1000, t + 500)).toHaveLength(0);
    expect(await media.nextDownloadAt()).toBe(t + 1000);
    const again = await media.claimDownloads('alive', 1, 1000, t + 1500);
    expect(again.map((r) => [r.id, r.lease_owner, r.attempts])).toEqual([[row.id, 'alive', 2]]);
    expect(await media.markReady(row.id, 'dead', file)).toBe(false);
    expect(await media.markRetry(row.id, 'alive', 'http_5xx: HTTP 502', t + 60_000)).toBe(true);
    expect(await media.byId(row.id)).toMatchObject({ status: 'pending', attempts: 2, lease_owner: null, next_attempt_at: t + 60_000 });
    expect(await media.claimDownloads('alive', 1, 1000, t + 2000)).toEqual([]);
    const third = await media.claimDownloads('alive', 1, 1000, t + 60_000);
    expect(third).toHaveLength(1);
    expect(await media.markReady(row.id, 'alive', file)).toBe(true);
    expect(await media.byId(row.id)).toMatchObject({ status: 'ready', attempts: 3, storage_path: 'media/x' });
    expect(await media.nextDownloadAt()).toBeNull();
  });
});
