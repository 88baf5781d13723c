/**
 * Raw webhook deliveries, stored before they are acknowledged and applied afterwards. Dedupe by
 * the sha256 of the exact body (how: webhook-event-writer.ts, and on SQLite
 * sqlite/pending-key-webhook-writer.ts); events are a durable job queue (jobs/job.ts), leased while
 * being applied, so a crash leaves them to be picked up again, and failures wait for a retry
 * instead of being dropped. Also home of statuses that arrived before their wamid was known.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { dialectOf } from '../dialect.ts';
import { fromJson, ms, toJson } from '../json.ts';
import type { NewWebhookEvent, WebhookEventWriter } from '../webhook-event-writer.ts';
import type { TxRunner } from '../tx-runner.ts';

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
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  /** The id of the POST that delivered it (http/request-id.ts); logged when the event is applied. */
  request_id: string | null;
}

export interface PendingStatus {
  id: string;
  wamid: string;
  status: string;
  errors: unknown[];
  /** Meta's pricing object with the recipient's calling code (`country`), when the status had one. */
  pricing: StoredPricing | null;
  receivedAt: number;
}

export interface StoredPricing {
  category?: string;
  pricing_model?: string;
  type?: string;
  billable?: boolean;
  country: string | null;
}

export class WebhookEventsRepo {
  private readonly writer: WebhookEventWriter;

  /** `tx`: the server's group commit (db/group-commit.ts); on SQLite deliveries and claims are written through it. */
  constructor(
    private readonly db: Knex,
    opts: { tx?: TxRunner } = {},
  ) {
    this.writer = dialectOf(db).webhookEventWriter(db, opts.tx ?? ((fn) => db.transaction(fn)));
  }

  /**
   * One atomic write for a whole batch (group commit). Returns the ids of the rows that were new,
   * by key; deliveries already stored (same body) are skipped.
   */
  async insertBatch(events: NewWebhookEvent[], now = Date.now()): Promise<Map<string, string>> {
    if (events.length === 0) return new Map();
    return this.writer.insertBatch(events, now);
  }

  async byId(id: string): Promise<WebhookEventRow | null> {
    return (await this.db<WebhookEventRow>('webhook_events').where({ id }).first()) ?? null;
  }

  /**
   * Lease up to `limit` events that are due to `owner`: pending ones, failed ones whose retry time
   * came, and processing ones whose lease expired (their process died). Oldest first.
   */
  async claimDue(limit: number, leaseMs: number, now = Date.now(), owner: string | null = null): Promise<WebhookEventRow[]> {
    const claim = () =>
      this.writer.claimWrite(
        async (q) =>
          (await q('webhook_events')
            // By id alone: the ids are due (and, on PostgreSQL, locked) by the time the update runs, and
            // repeating the status test here made SQLite plan the update around it — a scan again.
            .whereIn('id', this.dueIds(limit, now) as unknown as Knex.QueryBuilder)
            .update({
              status: 'processing',
              lease_owner: owner,
              lease_expires_at: now + leaseMs,
              attempts: this.db.raw('attempts + 1'),
              ...this.writer.claimColumns(),
            })
            .returning('*')) as WebhookEventRow[],
      );
    let rows: WebhookEventRow[];
    try {
      rows = await claim();
    } catch (err) {
      if (!(await this.writer.repairAfterClaimError(err))) throw err;
      rows = await claim();
    }
    await this.writer.claimed(rows);
    return rows.sort((a, b) => Number(a.received_at) - Number(b.received_at) || (a.id < b.id ? -1 : 1));
  }

  /**
   * The oldest `limit` due events. Each kind is read on its own, in index order, so the cost is
   * `limit` rows however long the backlog: one `status = a OR status = b …` query made SQLite
   * (and PostgreSQL) collect and sort every pending row — the whole backlog — at every claim.
   * Other nodes skip rows this one is claiming (dialect.ts).
   */
  private dueIds(limit: number, now: number): Knex.Raw {
    const lock = dialectOf(this.db).skipLockedSql;
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

  /** Applied: one statement for a whole batch. With `owner`, only while it holds their lease. */
  /** `trx`: the transaction that applied them, so they are done exactly when what they did is stored. */
  async markDone(ids: string[], owner: string | null = null, now = Date.now(), trx: Knex = this.db): Promise<void> {
    if (ids.length === 0) return;
    await this.leasedTo(trx('webhook_events').whereIn('id', ids), owner).update({
      status: 'done',
      processed_at: now,
      error: null,
      lease_owner: null,
      lease_expires_at: null,
      next_attempt_at: null,
    });
  }

  /** Keep the event, with why it failed; `retryAt` null means only a manual replay applies it again. */
  async markFailed(id: string, error: string, retryAt: number | null, owner: string | null = null, now = Date.now()): Promise<void> {
    await this.leasedTo(this.db('webhook_events').where({ id }), owner).update({
      status: 'failed',
      error: error.slice(0, 2000),
      processed_at: now,
      lease_owner: null,
      lease_expires_at: null,
      next_attempt_at: retryAt,
    });
  }

  private leasedTo(query: Knex.QueryBuilder, owner: string | null): Knex.QueryBuilder {
    return owner === null ? query : query.andWhere({ status: 'processing', lease_owner: owner });
  }

  /** Queue an event to be applied again (an admin's replay). */
  async requeue(id: string): Promise<boolean> {
    const n = await this.db('webhook_events')
      .whereNot('status', 'processing')
      .andWhere({ id })
      .update({ status: 'pending', next_attempt_at: null, error: null });
    return n > 0;
  }

  async list(filter: { status?: WebhookEventStatus }, limit: number): Promise<WebhookEventRow[]> {
    const q = this.db<WebhookEventRow>('webhook_events');
    if (filter.status) q.where({ status: filter.status });
    return q
      .orderBy([
        { column: 'received_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
  }

  /** Events waiting to be applied: stored, being applied, or failed with a retry to come. */
  async backlog(): Promise<number> {
    const row = (await this.db('webhook_events')
      .whereIn('status', ['pending', 'processing'])
      .orWhere((w) => w.where('status', 'failed').whereNotNull('next_attempt_at'))
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
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

  async addPendingStatus(
    input: { wamid: string; status: string; errors: unknown[] | null; pricing?: StoredPricing | null },
    trx: Knex = this.db,
  ): Promise<void> {
    await trx('pending_statuses').insert({
      id: newId(),
      wamid: input.wamid,
      status: input.status,
      errors: toJson(input.errors),
      pricing: toJson(input.pricing ?? null),
      received_at: Date.now(),
    });
  }

  /** Remove and return the statuses waiting for this wamid, in arrival order. */
  async takePendingStatuses(wamid: string, trx: Knex = this.db): Promise<PendingStatus[]> {
    const rows = (await trx('pending_statuses').where({ wamid }).orderBy('id')) as {
      id: string;
      wamid: string;
      status: string;
      errors: string | null;
      pricing: string | null;
      received_at: unknown;
    }[];
    if (rows.length)
      await trx('pending_statuses')
        .whereIn(
          'id',
          rows.map((r) => r.id),
        )
        .delete();
    return rows.map((r) => ({
      id: r.id,
      wamid: r.wamid,
      status: r.status,
      errors: fromJson<unknown[]>(r.errors, []),
      pricing: fromJson<StoredPricing | null>(r.pricing, null),
      receivedAt: ms(r.received_at)!,
    }));
  }

  /** Statuses for wamids we never sent (another app on the same number) are dropped after a while. */
  async prunePendingStatuses(olderThan: number): Promise<number> {
    return this.db('pending_statuses').where('received_at', '<', olderThan).delete();
  }
}
