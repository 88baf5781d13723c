/**
 * Webhook dedupe on SQLite, where one process owns the file (see docs/SQLITE.md). The unique index
 * on `dedupe_key` is keyed by a hash, so every acknowledged batch would rewrite one random index
 * page per delivery — half the cost of the acknowledgement. So a delivery is stored with its key
 * in `pending_key` (no index, nothing but appends), and the key moves into `dedupe_key` when the
 * event is claimed for applying. A delivery is a duplicate when its key is already in the index
 * (checked in the insert statement itself) or among the pending keys, which this writer keeps in
 * memory — loaded from the table before the first insert, so a restart forgets none. Inserts are
 * serialised, so "stored" and "duplicate" answers never race.
 *
 * Inserts and claims are written through the server's group commit (group-commit.ts): a batch of
 * deliveries being acknowledged joins whatever transaction is running — applying the previous
 * batch, a visitor's message — and shares its fsync instead of waiting for it and paying its own.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { INSERT_CHUNK, type NewWebhookEvent, type WebhookEventWriter } from '../webhook-event-writer.ts';
import type { TxRunner } from '../tx-runner.ts';

export class PendingKeyWebhookEventWriter implements WebhookEventWriter {
  /** Keys of stored deliveries that are not in the dedupe index yet. */
  private pendingKeys: Promise<Set<string>> | null = null;
  /** Inserts run one after another (see above). */
  private insertTail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Knex,
    private readonly tx: TxRunner,
  ) {}

  insertBatch(events: NewWebhookEvent[], now: number): Promise<Map<string, string>> {
    const run = this.insertTail.then(() => this.insertPending(events, now));
    this.insertTail = run.catch(() => {});
    return run;
  }

  claimWrite<T>(write: (q: Knex) => Promise<T>): Promise<T> {
    return this.tx((trx) => write(trx));
  }

  /** Pending keys enter the dedupe index when their event is claimed. */
  claimColumns(): Record<string, unknown> {
    return { dedupe_key: this.db.raw('coalesce(dedupe_key, pending_key)'), pending_key: null };
  }

  /**
   * Only a second process writing the same SQLite file can get a key past the check at insert;
   * keep the first copy of each body and claim again.
   */
  async repairAfterClaimError(err: unknown): Promise<boolean> {
    if (!(err instanceof Error && /UNIQUE constraint failed/.test(err.message))) return false;
    await this.db.raw(
      `delete from webhook_events where status = 'pending' and pending_key is not null and (
         exists (select 1 from webhook_events k where k.dedupe_key = webhook_events.pending_key)
         or id in (select id from (select id, row_number() over (partition by pending_key order by received_at, id) as n
                                   from webhook_events where status = 'pending' and pending_key is not null) where n > 1))`,
    );
    return true;
  }

  /** Claimed keys are in the unique index now. (Not loaded yet, or the load failed: it will read the table afresh, after this claim.) */
  async claimed(rows: { dedupe_key: string | null }[]): Promise<void> {
    const pending = await this.pendingKeys?.catch(() => null);
    if (pending) for (const r of rows) if (r.dedupe_key) pending.delete(r.dedupe_key);
  }

  /** Appended with the key pending: one statement per 200, in one transaction of the group commit. */
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
      `insert into webhook_events (id, pending_key, raw_body, request_id, status, received_at) select column1, column2, column3, column4, 'pending', ? from (values ${Array(n).fill('(?, ?, ?, ?)').join(', ')}) as d where not exists (select 1 from webhook_events e where e.dedupe_key = d.column2) returning id, pending_key`;
    const paramsFor = (chunk: NewWebhookEvent[]) => [now, ...chunk.flatMap((e) => [newId(), e.dedupeKey, e.rawBody, e.requestId ?? null])];
    // Rows are collected only once the transaction holding them has committed.
    const rows = await this.tx(async (trx) => {
      const out: { id: string; pending_key: string }[] = [];
      for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
        const chunk = fresh.slice(i, i + INSERT_CHUNK);
        out.push(...((await trx.raw(statement(chunk.length), paramsFor(chunk))) as { id: string; pending_key: string }[]));
      }
      return out;
    });
    for (const r of rows) inserted.set(r.pending_key, r.id);
  }

  /** The keys still pending on disk, read once (a pending key implies status pending). */
  private loadPendingKeys(): Promise<Set<string>> {
    this.pendingKeys ??= this.db('webhook_events')
      .where('status', 'pending')
      .whereNotNull('pending_key')
      .pluck('pending_key')
      .then((keys: string[]) => new Set(keys));
    this.pendingKeys.catch(() => (this.pendingKeys = null));
    return this.pendingKeys;
  }
}
