/**
 * Raw webhook deliveries, stored before they are acknowledged and applied afterwards. Dedupe by
 * the sha256 of the exact body; events are leased while being applied, so a crash leaves them
 * to be picked up again, and failures wait for a retry instead of being dropped. Also home of
 * statuses that arrived before their wamid was known.
 *
 * Dedupe on SQLite, where one process owns the file: the unique index on `dedupe_key` is keyed by
 * a hash, so every acknowledged batch would rewrite one random index page per delivery — half the
 * cost of the acknowledgement. So a delivery is stored with its key in `pending_key` (no index,
 * nothing but appends), and the key moves into `dedupe_key` when the event is claimed for
 * applying. A delivery is a duplicate when its key is already in the index (checked in the insert
 * statement itself) or among the pending keys, which this repository keeps in memory — loaded
 * from the table before the first insert, so a restart forgets none. Inserts are serialised, so
 * "stored" and "duplicate" answers never race. PostgreSQL (several nodes) sets `dedupe_key`
 * at once and lets the unique index decide.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { isPostgres } from '../knex.ts';
import { fromJson, ms, toJson } from '../json.ts';

export type WebhookEventStatus = 'pending' | 'processing' | 'done' | 'failed';

export interface WebhookEventRow {
  id: string;
  /** sha256 of the raw body; null on SQLite until the event is first claimed (see above). */
  dedupe_key: string | null;
  pending_key: string | null;
  raw_body: string;
  status: WebhookEventStatus;
  attempts: number;
  error: string | null;
  received_at: number | string;
  processed_at: number | string | null;
  next_attempt_at: number | string | null;
  lease_expires_at: number | string | null;
}

export interface NewWebhookEvent {
  dedupeKey: string;
  rawBody: string;
}

export interface PendingStatus {
  id: string;
  wamid: string;
  status: string;
  errors: unknown[];
  receivedAt: number;
}

/** SQLite caps bound variables per statement; 5 per row × 200 rows stays far below it. */
const INSERT_CHUNK = 200;

export class WebhookEventsRepo {
  /** SQLite: keys of stored deliveries that are not in the dedupe index yet. */
  private pendingKeys: Promise<Set<string>> | null = null;
  /** SQLite: inserts run one after another (see above). */
  private insertTail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Knex) {}

  /**
   * One atomic write for a whole batch (group commit). Returns the ids of the rows that were new,
   * by key; deliveries already stored (same body) are skipped.
   */
  async insertBatch(events: NewWebhookEvent[], now = Date.now()): Promise<Map<string, string>> {
    if (events.length === 0) return new Map();
    if (isPostgres(this.db)) return this.insertIndexed(events, now);
    const run = this.insertTail.then(() => this.insertPending(events, now));
    this.insertTail = run.catch(() => {});
    return run;
  }

  /** PostgreSQL: the unique index decides, across nodes. */
  private async insertIndexed(events: NewWebhookEvent[], now: number): Promise<Map<string, string>> {
    const inserted = new Map<string, string>();
    const insertChunk = async (q: Knex, chunk: NewWebhookEvent[]) => {
      const rows = chunk.map((e) => ({ id: newId(), dedupe_key: e.dedupeKey, raw_body: e.rawBody, status: 'pending', received_at: now }));
      const out = (await q('webhook_events').insert(rows).onConflict('dedupe_key').ignore().returning(['id', 'dedupe_key'])) as { id: string; dedupe_key: string }[];
      for (const r of out) inserted.set(r.dedupe_key, r.id);
    };
    if (events.length <= INSERT_CHUNK) await insertChunk(this.db, events);
    else {
      await this.db.transaction(async (trx) => {
        for (let i = 0; i < events.length; i += INSERT_CHUNK) await insertChunk(trx, events.slice(i, i + INSERT_CHUNK));
      });
    }
    return inserted;
  }

  /** SQLite: appended with the key pending; one statement per batch, atomic on its own. */
  private async insertPending(events: NewWebhookEvent[], now: number): Promise<Map<string, string>> {
    const pending = await this.loadPendingKeys();
    const fresh = new Map<string, NewWebhookEvent>();
    for (const e of events) if (!pending.has(e.dedupeKey) && !fresh.has(e.dedupeKey)) fresh.set(e.dedupeKey, e);
    const inserted = new Map<string, string>();
    if (fresh.size === 0) return inserted;
    // Reserved before the write: a claim can only take these rows after it, and must find them here.
    for (const key of fresh.keys()) pending.add(key);
    try {
      await this.writePending([...fresh.values()], now, inserted);
    } catch (err) {
      for (const key of fresh.keys()) pending.delete(key);
      throw err;
    }
    for (const key of fresh.keys()) if (!inserted.has(key)) pending.delete(key); // already indexed
    return inserted;
  }

  private async writePending(fresh: NewWebhookEvent[], now: number, inserted: Map<string, string>): Promise<void> {
    const statement = (n: number) =>
      `insert into webhook_events (id, pending_key, raw_body, status, received_at) select column1, column2, column3, 'pending', ? from (values ${Array(n).fill('(?, ?, ?)').join(', ')}) as d where not exists (select 1 from webhook_events e where e.dedupe_key = d.column2) returning id, pending_key`;
    const paramsFor = (chunk: NewWebhookEvent[]) => [now, ...chunk.flatMap((e) => [newId(), e.dedupeKey, e.rawBody])];
    const collect = (rows: { id: string; pending_key: string }[]) => {
      for (const r of rows) inserted.set(r.pending_key, r.id);
    };
    if (fresh.length <= INSERT_CHUNK) {
      const sql = statement(fresh.length);
      collect((await this.db.raw(sql, paramsFor(fresh))) as { id: string; pending_key: string }[]);
    } else {
      await this.db.transaction(async (trx) => {
        for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
          const chunk = fresh.slice(i, i + INSERT_CHUNK);
          collect((await trx.raw(statement(chunk.length), paramsFor(chunk))) as { id: string; pending_key: string }[]);
        }
      });
    }
  }

  /** SQLite: the keys still pending on disk, read once (a pending key implies status pending). */
  private loadPendingKeys(): Promise<Set<string>> {
    this.pendingKeys ??= this.db('webhook_events')
      .where('status', 'pending')
      .whereNotNull('pending_key')
      .pluck('pending_key')
      .then((keys: string[]) => new Set(keys));
    this.pendingKeys.catch(() => (this.pendingKeys = null));
    return this.pendingKeys;
  }

  async byId(id: string): Promise<WebhookEventRow | null> {
    return (await this.db<WebhookEventRow>('webhook_events').where({ id }).first()) ?? null;
  }

  /**
   * Lease up to `limit` events that are due: pending ones, failed ones whose retry time came, and
   * processing ones whose lease expired (their process died). Oldest first.
   */
  async claimDue(limit: number, leaseMs: number, now = Date.now()): Promise<WebhookEventRow[]> {
    const pg = isPostgres(this.db);
    const claim = async () => {
      return (await this.db('webhook_events')
        // By id alone: the ids are due (and, on PostgreSQL, locked) by the time the update runs, and
        // repeating the status test here made SQLite plan the update around it — a scan again.
        .whereIn('id', this.dueIds(limit, now) as unknown as Knex.QueryBuilder)
        // SQLite: pending keys enter the dedupe index now (see the top of this file).
        .update({ status: 'processing', lease_expires_at: now + leaseMs, attempts: this.db.raw('attempts + 1'), ...(pg ? {} : { dedupe_key: this.db.raw('coalesce(dedupe_key, pending_key)'), pending_key: null }) })
        .returning('*')) as WebhookEventRow[];
    };
    let rows: WebhookEventRow[];
    try {
      rows = await claim();
    } catch (err) {
      if (pg || !isUniqueViolation(err)) throw err;
      // Only a second process writing the same SQLite file can get a key past the check at
      // insert; keep the first copy of each body and claim again.
      await this.deleteDuplicatePending();
      rows = await claim();
    }
    // Claimed keys are in the unique index now. (Not loaded yet, or the load failed: it will read
    // the table afresh, after this claim.)
    const pending = pg ? null : await this.pendingKeys?.catch(() => null);
    if (pending) for (const r of rows) if (r.dedupe_key) pending.delete(r.dedupe_key);
    return rows.sort((a, b) => Number(a.received_at) - Number(b.received_at) || (a.id < b.id ? -1 : 1));
  }

  /**
   * The oldest `limit` due events. Each kind is read on its own, in index order, so the cost is
   * `limit` rows however long the backlog: one `status = a OR status = b …` query made SQLite
   * (and PostgreSQL) collect and sort every pending row — the whole backlog — at every claim.
   * PostgreSQL: other nodes skip rows this one is claiming; SQLite has a single writer anyway.
   */
  private dueIds(limit: number, now: number): Knex.Raw {
    const lock = isPostgres(this.db) ? ' for update skip locked' : '';
    const kinds = [
      ["status = 'pending'", []],
      ["status = 'failed' and next_attempt_at <= ?", [now]],
      ["status = 'processing' and lease_expires_at < ?", [now]],
    ] as const;
    const parts = kinds.map(([where]) => `select id, received_at from webhook_events where ${where} order by received_at, id limit ?${lock}`);
    const bindings = [...kinds.flatMap(([, b]) => [...b, limit]), limit];
    return this.db.raw(
      `with ${parts.map((sql, i) => `k${i} as (${sql})`).join(', ')} select id from (select * from k0 union all select * from k1 union all select * from k2) as due order by received_at, id limit ?`,
      bindings,
    );
  }

  /** SQLite: remove pending copies of bodies that are already indexed, or pending twice. */
  private async deleteDuplicatePending(): Promise<void> {
    await this.db.raw(
      `delete from webhook_events where status = 'pending' and pending_key is not null and (
         exists (select 1 from webhook_events k where k.dedupe_key = webhook_events.pending_key)
         or id in (select id from (select id, row_number() over (partition by pending_key order by received_at, id) as n
                                   from webhook_events where status = 'pending' and pending_key is not null) where n > 1))`,
    );
  }

  /** Applied: one statement for a whole batch. */
  async markDone(ids: string[], now = Date.now()): Promise<void> {
    if (ids.length === 0) return;
    await this.db('webhook_events').whereIn('id', ids).update({ status: 'done', processed_at: now, error: null, lease_expires_at: null, next_attempt_at: null });
  }

  /** Keep the event, with why it failed; `retryAt` null means only a manual replay applies it again. */
  async markFailed(id: string, error: string, retryAt: number | null, now = Date.now()): Promise<void> {
    await this.db('webhook_events')
      .where({ id })
      .update({ status: 'failed', error: error.slice(0, 2000), processed_at: now, lease_expires_at: null, next_attempt_at: retryAt });
  }

  /** Queue an event to be applied again (an admin's replay). */
  async requeue(id: string): Promise<boolean> {
    const n = await this.db('webhook_events').whereNot('status', 'processing').andWhere({ id }).update({ status: 'pending', next_attempt_at: null, error: null });
    return n > 0;
  }

  async list(filter: { status?: WebhookEventStatus }, limit: number): Promise<WebhookEventRow[]> {
    const q = this.db<WebhookEventRow>('webhook_events');
    if (filter.status) q.where({ status: filter.status });
    return q.orderBy([{ column: 'received_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = (await this.db('webhook_events').select('status').count({ n: '*' }).groupBy('status')) as { status: string; n: number | string }[];
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /**
   * When the next event falls due (for the retry timer), or null: a failed event's retry, or the
   * lease of an event left in processing by a crashed process running out.
   */
  async nextRetryAt(): Promise<number | null> {
    const row = (await this.db('webhook_events')
      .where((w) => w.where('status', 'failed').whereNotNull('next_attempt_at'))
      .orWhere((w) => w.where('status', 'processing').whereNotNull('lease_expires_at'))
      .select(this.db.raw("min(CASE WHEN status = 'processing' THEN lease_expires_at ELSE next_attempt_at END) as at"))
      .first()) as { at: unknown } | undefined;
    return ms(row?.at);
  }

  // --- statuses that arrived before their wamid was stored ---

  async addPendingStatus(input: { wamid: string; status: string; errors: unknown[] | null }, trx: Knex = this.db): Promise<void> {
    await trx('pending_statuses').insert({ id: newId(), wamid: input.wamid, status: input.status, errors: toJson(input.errors), received_at: Date.now() });
  }

  /** Remove and return the statuses waiting for this wamid, in arrival order. */
  async takePendingStatuses(wamid: string, trx: Knex = this.db): Promise<PendingStatus[]> {
    const rows = (await trx('pending_statuses').where({ wamid }).orderBy('id')) as { id: string; wamid: string; status: string; errors: string | null; received_at: unknown }[];
    if (rows.length) await trx('pending_statuses').whereIn('id', rows.map((r) => r.id)).delete();
    return rows.map((r) => ({ id: r.id, wamid: r.wamid, status: r.status, errors: fromJson<unknown[]>(r.errors, []), receivedAt: ms(r.received_at)! }));
  }

  /** Statuses for wamids we never sent (another app on the same number) are dropped after a while. */
  async prunePendingStatuses(olderThan: number): Promise<number> {
    return this.db('pending_statuses').where('received_at', '<', olderThan).delete();
  }
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/.test(err.message);
}
