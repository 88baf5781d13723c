import type { Knex } from 'knex';
import { beforeEach, describe, expect, it } from 'vitest';
import { WebhookEventsRepo } from './webhook-events-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

const key = (c: string) => c.repeat(64);
const event = (c: string, body = `{"n":"${c}"}`) => ({ dedupeKey: key(c), rawBody: body });

describe('WebhookEventsRepo dedupe on SQLite (key pending until claimed)', () => {
  const tmp = useTempSqlite();
  let db: Knex;
  let repo: WebhookEventsRepo;

  beforeEach(async () => {
    db = tmp.db;
    repo = new WebhookEventsRepo(db);
  });

  const rows = () => db('webhook_events').select('id', 'dedupe_key', 'pending_key', 'status').orderBy('id');

  it('stores a body once, before and after its key enters the unique index', async () => {
    const first = await repo.insertBatch([event('a'), event('b'), event('a')]);
    expect([...first.keys()].sort()).toEqual([key('a'), key('b')]);
    expect(await rows()).toEqual([
      { id: first.get(key('a')), dedupe_key: null, pending_key: key('a'), status: 'pending' },
      { id: first.get(key('b')), dedupe_key: null, pending_key: key('b'), status: 'pending' },
    ]);
    // Pending: caught by the keys held in memory.
    expect((await repo.insertBatch([event('a')])).size).toBe(0);

    const claimed = await repo.claimDue(10, 60_000);
    expect(claimed.map((r) => [r.dedupe_key, r.pending_key, r.status])).toEqual([
      [key('a'), null, 'processing'],
      [key('b'), null, 'processing'],
    ]);
    // Indexed: caught by the insert statement itself.
    const again = await repo.insertBatch([event('a'), event('b'), event('c')]);
    expect([...again.keys()]).toEqual([key('c')]);
    expect(await db('webhook_events').count({ n: '*' }).first()).toEqual({ n: 3 });
  });

  it('remembers pending keys across a restart (read back from the table)', async () => {
    await repo.insertBatch([event('a'), event('b')]);
    await repo.claimDue(1, 60_000); // 'a' indexed, 'b' still pending
    const restarted = new WebhookEventsRepo(db);
    expect((await restarted.insertBatch([event('a'), event('b'), event('c')])).size).toBe(1);
    expect((await rows()).map((r) => r.pending_key ?? r.dedupe_key).sort()).toEqual([key('a'), key('b'), key('c')]);
  });

  it('answers concurrent deliveries of the same bodies with exactly one "stored" each', async () => {
    const keys = 'abcdefgh'.split('');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => repo.insertBatch(keys.slice(i % 4).map((c) => event(c)))));
    for (const c of keys) expect(results.filter((r) => r.has(key(c)))).toHaveLength(1);
    expect(await db('webhook_events').count({ n: '*' }).first()).toEqual({ n: keys.length });
  });

  it('reserves nothing when the write fails, so a retry of the body is stored', async () => {
    await expect(repo.insertBatch([{ dedupeKey: key('a'), rawBody: null as unknown as string }])).rejects.toThrow(/NOT NULL/);
    expect(await rows()).toEqual([]);
    expect([...(await repo.insertBatch([event('a')])).keys()]).toEqual([key('a')]);
  });

  it('a body an earlier batch is still writing is answered by that write: stored again if it failed, a duplicate if it committed', async () => {
    // The first batch fails (a row the table refuses) while the second, holding one of its bodies, is on its way.
    const failing = repo.insertBatch([event('a'), { dedupeKey: key('x'), rawBody: null as unknown as string }]);
    const waiting = repo.insertBatch([event('a'), event('b')]);
    await expect(failing).rejects.toThrow(/NOT NULL/);
    expect([...(await waiting).keys()].sort()).toEqual([key('a'), key('b')]);

    const committed = repo.insertBatch([event('c')]);
    const duplicate = repo.insertBatch([event('c'), event('d')]);
    expect([...(await committed).keys()]).toEqual([key('c')]);
    expect([...(await duplicate).keys()]).toEqual([key('d')]);
    expect((await rows()).map((r) => r.pending_key).sort()).toEqual(['a', 'b', 'c', 'd'].map(key));
  });

  it('keeps one copy when a second process slipped duplicates past the check, and goes on claiming', async () => {
    const [indexedId] = (await repo.insertBatch([event('a')])).values();
    await repo.claimDue(10, 60_000);
    await db('webhook_events').where({ id: indexedId }).update({ status: 'done' });
    // What another process on the same file could write: a copy of an indexed body, and one body twice.
    const raw = (id: string, c: string, at: number) => ({ id, pending_key: key(c), raw_body: '{}', status: 'pending', received_at: at });
    await db('webhook_events').insert([raw('01X1', 'a', 1), raw('01X2', 'b', 2), raw('01X3', 'b', 3), raw('01X4', 'c', 4)]);

    const claimed = await repo.claimDue(10, 60_000);
    expect(claimed.map((r) => [r.id, r.dedupe_key])).toEqual([
      ['01X2', key('b')],
      ['01X4', key('c')],
    ]);
    expect((await rows()).map((r) => r.id).sort()).toEqual([indexedId, '01X2', '01X4'].sort());
  });

  it('claims the oldest due events of every kind, and nothing that is not due', async () => {
    const t = Date.now();
    const row = (id: string, at: number, status: string, extra: Record<string, unknown> = {}) => ({
      id,
      dedupe_key: key(id.slice(-1)),
      raw_body: '{}',
      status,
      received_at: at,
      ...extra,
    });
    await db('webhook_events').insert([
      row('01E1', 1, 'failed', { next_attempt_at: t - 1 }), // retry due
      row('01E2', 2, 'done'),
      row('01E3', 3, 'failed', { next_attempt_at: t + 60_000 }), // retry later
      row('01E4', 4, 'failed', { next_attempt_at: null }), // only a replay applies it
      row('01E5', 5, 'processing', { lease_expires_at: t - 1 }), // its process died
      row('01E6', 6, 'processing', { lease_expires_at: t + 60_000 }), // being applied
      row('01E7', 7, 'pending'),
      row('01E8', 8, 'pending'),
    ]);
    expect((await repo.claimDue(2, 60_000, t)).map((r) => r.id)).toEqual(['01E1', '01E5']);
    expect((await repo.claimDue(10, 60_000, t)).map((r) => r.id)).toEqual(['01E7', '01E8']);
    expect(await repo.claimDue(10, 60_000, t)).toEqual([]);
  });

  it('keeps the request id of each delivery, and counts as backlog only what is still to be applied', async () => {
    const t = Date.now();
    const stored = await repo.insertBatch([{ ...event('r'), requestId: 'req-r' }, event('s')]);
    const [r, s] = await Promise.all([repo.byId(stored.get(key('r'))!), repo.byId(stored.get(key('s'))!)]);
    expect([r?.request_id, s?.request_id]).toEqual(['req-r', null]);
    expect(await repo.backlog()).toBe(2);
    const row = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
      id,
      dedupe_key: key(id.slice(-1)),
      raw_body: '{}',
      status,
      received_at: t,
      ...extra,
    });
    await db('webhook_events').insert([
      row('01B1', 'failed', { next_attempt_at: t + 60_000 }), // a retry will apply it
      row('01B2', 'failed', { next_attempt_at: null }), // only a replay
      row('01B3', 'done'),
      row('01B4', 'processing', { lease_expires_at: t + 60_000 }),
    ]);
    expect(await repo.backlog()).toBe(4);
    await repo.markDone((await repo.claimDue(10, 60_000)).map((e) => e.id));
    expect(await repo.backlog()).toBe(2); // the retry to come and the one being applied
  });

  it('claims through indexes only: the cost of a claim does not grow with the backlog', async () => {
    const statements: { sql: string; bindings: Knex.RawBinding[] }[] = [];
    const log = (q: { sql: string; bindings: Knex.RawBinding[] }) => statements.push(q);
    db.on('query', log);
    await repo.claimDue(25, 60_000);
    db.off('query', log);
    const claim = statements.find((q) => q.sql.startsWith('update'))!;
    const plan = ((await db.raw(`explain query plan ${claim.sql}`, claim.bindings)) as { detail: string }[]).map((r) => r.detail);
    // Each kind of due event is read in index order up to the limit; the update finds rows by id.
    expect(plan.filter((d) => /webhook_events/.test(d)).every((d) => /^SEARCH webhook_events USING (COVERING )?INDEX/.test(d))).toBe(true);
    expect(plan).not.toContain('MULTI-INDEX OR');
    expect(plan[0]).toMatch(/\(id=\?\)/);
  });
});

describe('webhook events follow the job lease rules (SQLite)', () => {
  const tmp = useTempSqlite();

  it('records an outcome only while the claimer still holds the lease', async () => {
    const events = new WebhookEventsRepo(tmp.db);
    const [id] = [...(await events.insertBatch([{ dedupeKey: 'k1', rawBody: '{}' }])).values()];
    const t = Date.now();
    expect(await events.claimDue(10, 1000, t, 'dead')).toHaveLength(1);
    expect((await events.claimDue(10, 1000, t + 1500, 'alive')).map((r) => [r.id, r.lease_owner])).toEqual([[id, 'alive']]);
    await events.markDone([id!], 'dead');
    expect(await events.byId(id!)).toMatchObject({ status: 'processing', lease_owner: 'alive' });
    await events.markDone([id!], 'alive');
    expect(await events.byId(id!)).toMatchObject({ status: 'done', lease_owner: null });
  });
});
