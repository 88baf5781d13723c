/**
 * Raw webhook deliveries, stored before they are acknowledged and applied afterwards. Dedupe by
 * the sha256 of the exact body; events are leased while being applied, so a crash leaves them
 * to be picked up again, and failures wait for a retry instead of being dropped. Also home of
 * statuses that arrived before their wamid was known.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { isPostgres } from '../knex.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { fromJson, ms, toJson } from '../json.ts';

export type WebhookEventStatus = 'pending' | 'processing' | 'done' | 'failed';

export interface WebhookEventRow {
  id: string;
  dedupe_key: string;
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

/** SQLite caps bound variables per statement; 5 columns × 200 rows stays far below it. */
const INSERT_CHUNK = 200;

export class WebhookEventsRepo {
  /** `statements`: SQLite's kept prepared statements, for the acknowledgement path (optional). */
  constructor(
    private readonly db: Knex,
    private readonly statements: SqliteStatements | null = null,
  ) {}

  /**
   * One atomic write for a whole batch (group commit). Returns the ids of the rows that were new;
   * deliveries already stored (same body) are skipped.
   */
  async insertBatch(events: NewWebhookEvent[], now = Date.now()): Promise<Map<string, string>> {
    const inserted = new Map<string, string>();
    if (events.length === 0) return inserted;
    const insertChunk = async (q: Knex | Knex.Transaction, chunk: NewWebhookEvent[]) => {
      const rows = chunk.map((e) => ({ id: newId(), dedupe_key: e.dedupeKey, raw_body: e.rawBody, status: 'pending', received_at: now }));
      const out = (await q('webhook_events').insert(rows).onConflict('dedupe_key').ignore().returning(['id', 'dedupe_key'])) as { id: string; dedupe_key: string }[];
      for (const r of out) inserted.set(r.dedupe_key, r.id);
    };
    // One statement is atomic on its own: no BEGIN/COMMIT round trips on the hot path.
    if (this.statements && events.length <= INSERT_CHUNK) {
      const params: unknown[] = [];
      for (const e of events) params.push(newId(), e.dedupeKey, e.rawBody, 'pending', now);
      const sql = `insert into webhook_events (id, dedupe_key, raw_body, status, received_at) values ${Array(events.length).fill('(?, ?, ?, ?, ?)').join(', ')} on conflict (dedupe_key) do nothing returning id, dedupe_key`;
      for (const r of await this.statements.all<{ id: string; dedupe_key: string }>(sql, params)) inserted.set(r.dedupe_key, r.id);
      return inserted;
    }
    if (events.length <= INSERT_CHUNK) {
      await insertChunk(this.db, events);
      return inserted;
    }
    await this.db.transaction(async (trx) => {
      for (let i = 0; i < events.length; i += INSERT_CHUNK) await insertChunk(trx, events.slice(i, i + INSERT_CHUNK));
    });
    return inserted;
  }

  async byId(id: string): Promise<WebhookEventRow | null> {
    return (await this.db<WebhookEventRow>('webhook_events').where({ id }).first()) ?? null;
  }

  /**
   * Lease up to `limit` events that are due: pending ones, failed ones whose retry time came, and
   * processing ones whose lease expired (their process died). Oldest first.
   */
  async claimDue(limit: number, leaseMs: number, now = Date.now()): Promise<WebhookEventRow[]> {
    const due = (q: Knex.QueryBuilder) =>
      q
        .where('status', 'pending')
        .orWhere((w) => w.where('status', 'failed').whereNotNull('next_attempt_at').andWhere('next_attempt_at', '<=', now))
        .orWhere((w) => w.where('status', 'processing').andWhere('lease_expires_at', '<', now));
    const ids = this.db('webhook_events').select('id').where(due).orderBy([{ column: 'received_at' }, { column: 'id' }]).limit(limit);
    // PostgreSQL: other nodes skip rows this one is claiming; SQLite has a single writer anyway.
    if (isPostgres(this.db)) ids.forUpdate().skipLocked();
    const rows = (await this.db('webhook_events')
      .whereIn('id', ids)
      .andWhere(due)
      .update({ status: 'processing', lease_expires_at: now + leaseMs, attempts: this.db.raw('attempts + 1') })
      .returning('*')) as WebhookEventRow[];
    return rows.sort((a, b) => Number(a.received_at) - Number(b.received_at) || (a.id < b.id ? -1 : 1));
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
