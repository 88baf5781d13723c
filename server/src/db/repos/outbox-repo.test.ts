import type { Knex } from 'knex';
import { beforeEach, describe, expect, it } from 'vitest';
import { OutboxRepo } from './outbox-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

describe('OutboxRepo (SQLite)', () => {
  const tmp = useTempSqlite();
  let db: Knex;
  let outbox: OutboxRepo;

  beforeEach(async () => {
    db = tmp.db;
    outbox = new OutboxRepo(db);
  });

  const item = (to: string | null, n = 0) => ({ kind: 'notice' as const, phoneNumberId: '100', toWaId: to, payload: { n } });

  it('leases each row to one claimer, counting the attempt', async () => {
    for (let i = 0; i < 4; i++) await outbox.enqueue(item(`1555000000${i}`, i));
    const [a, b] = await Promise.all([outbox.claim('node-a', 10, 60_000), outbox.claim('node-b', 10, 60_000)]);
    const all = [...a, ...b];
    expect(all).toHaveLength(4);
    expect(new Set(all.map((r) => r.id)).size).toBe(4);
    expect(all.every((r) => r.attempts === 1 && (r.lease_owner === 'node-a' || r.lease_owner === 'node-b'))).toBe(true);
    expect(await outbox.claim('node-c', 10, 60_000)).toEqual([]);
  });

  it('claims an expired lease again (a crashed worker’s rows are not lost)', async () => {
    const row = await outbox.enqueue(item('15550000001'));
    const t = Date.now();
    expect(await outbox.claim('dead', 1, 1000, t)).toHaveLength(1);
    expect(await outbox.claim('alive', 1, 1000, t + 500)).toHaveLength(0);
    const again = await outbox.claim('alive', 1, 1000, t + 1500);
    expect(again.map((r) => [r.id, r.lease_owner, r.attempts])).toEqual([[row.id, 'alive', 2]]);
    // The dead worker can no longer finish what it lost.
    expect(await outbox.complete(row.id, 'dead')).toBe(false);
    expect(await outbox.complete(row.id, 'alive')).toBe(true);
  });

  it('sends one message at a time per recipient, oldest first, and waits for a retrying head', async () => {
    const first = await outbox.enqueue(item('15550000009', 1));
    const second = await outbox.enqueue(item('15550000009', 2));
    const other = await outbox.enqueue(item('15550000008', 3));
    const read = await outbox.enqueue({ kind: 'mark_read', phoneNumberId: '100', toWaId: null, payload: {} });
    const claimed = await outbox.claim('w', 10, 60_000);
    expect(claimed.map((r) => r.id).sort()).toEqual([first.id, other.id, read.id].sort());
    // The head fails for now: the next message to that recipient still waits behind it.
    expect(await outbox.reschedule(first.id, 'w', Date.now() + 60_000, 'http_5xx')).toBe(true);
    expect(await outbox.claim('w', 10, 60_000)).toEqual([]);
    expect(await outbox.nextWakeAt()).toBeLessThanOrEqual(Date.now());
    // Once the head is done (or failed for good), the next one goes.
    await db('outbox')
      .where({ id: first.id })
      .update({ next_attempt_at: Date.now() - 1 });
    const [head] = await outbox.claim('w', 10, 60_000);
    expect(head!.id).toBe(first.id);
    expect(await outbox.fail(first.id, 'w', '131026: undeliverable')).toBe(true);
    expect((await outbox.claim('w', 10, 60_000)).map((r) => r.id)).toEqual([second.id]);
  });

  it('keeps the request that queued a send, and reports how much is pending and since when', async () => {
    expect(await outbox.stats()).toEqual({ pending: 0, oldestPendingAt: null });
    const t = Date.now();
    const first = await outbox.enqueue({ ...item('15550000001'), requestId: 'req-1' });
    await outbox.enqueue(item('15550000002'));
    expect((await outbox.byId(first.id))?.request_id).toBe('req-1');
    await db('outbox')
      .where({ id: first.id })
      .update({ created_at: t - 90_000 });
    expect(await outbox.stats()).toEqual({ pending: 2, oldestPendingAt: t - 90_000 });
    const claimed = await outbox.claim('w', 10, 60_000);
    expect(claimed.find((r) => r.id === first.id)?.request_id).toBe('req-1');
    await outbox.complete(first.id, 'w');
    expect((await outbox.stats()).pending).toBe(1);
  });
});
