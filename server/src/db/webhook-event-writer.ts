/**
 * How stored webhook deliveries are written and deduplicated by the sha256 of their body. The
 * plain way, used on PostgreSQL (several nodes): `dedupe_key` is set at once and its unique index
 * decides. SQLite has a faster way of its own (sqlite/pending-key-webhook-writer.ts); the dialect
 * (dialect.ts) picks one.
 */
import type { Knex } from 'knex';
import { newId } from '../ids.ts';

export interface NewWebhookEvent {
  dedupeKey: string;
  rawBody: string;
  requestId?: string | null;
}

export interface WebhookEventWriter {
  /** One atomic write for a whole batch; the ids of the rows that were new, by key. */
  insertBatch(events: NewWebhookEvent[], now: number): Promise<Map<string, string>>;
  /** Runs a claim's write: on its own (PostgreSQL: one atomic statement), or through the group commit (SQLite). */
  claimWrite<T>(write: (q: Knex) => Promise<T>): Promise<T>;
  /** Columns a claim sets besides status, lease and attempts. */
  claimColumns(): Record<string, unknown>;
  /** A claim failed with `err`: repair what caused it and answer true to claim again, or false to give up. */
  repairAfterClaimError(err: unknown): Promise<boolean>;
  /** These rows were claimed (their keys are in the unique index now). */
  claimed(rows: { dedupe_key: string | null }[]): Promise<void>;
}

/** SQLite caps bound variables per statement; 6 per row × 200 rows stays far below it. */
export const INSERT_CHUNK = 200;

/** The unique index on `dedupe_key` decides, across nodes. */
export class IndexedWebhookEventWriter implements WebhookEventWriter {
  constructor(private readonly db: Knex) {}

  async insertBatch(events: NewWebhookEvent[], now: number): Promise<Map<string, string>> {
    const inserted = new Map<string, string>();
    const insertChunk = async (q: Knex, chunk: NewWebhookEvent[]) => {
      const rows = chunk.map((e) => ({
        id: newId(),
        dedupe_key: e.dedupeKey,
        raw_body: e.rawBody,
        status: 'pending',
        received_at: now,
        request_id: e.requestId ?? null,
      }));
      const out = (await q('webhook_events').insert(rows).onConflict('dedupe_key').ignore().returning(['id', 'dedupe_key'])) as {
        id: string;
        dedupe_key: string;
      }[];
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

  claimWrite<T>(write: (q: Knex) => Promise<T>): Promise<T> {
    return write(this.db);
  }

  claimColumns(): Record<string, unknown> {
    return {};
  }

  async repairAfterClaimError(): Promise<boolean> {
    return false;
  }

  async claimed(): Promise<void> {}
}
