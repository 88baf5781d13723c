/**
 * Media files: inbound ones announced by a webhook (pending until downloaded and checked), and
 * outbound ones uploaded by agents or visitors (ready at once, sent to Meta on first use).
 * The bytes live under DATA_DIR/media; this table knows where. Pending inbound files are a
 * durable job queue (jobs/job.ts): downloads are leased, and only the lease holder records them.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { dialectOf } from '../dialect.ts';
import { ms } from '../json.ts';

type MediaStatus = 'pending' | 'ready' | 'failed';

export interface MediaRow {
  id: string;
  sha256: string | null;
  mime: string | null;
  size: number | string | null;
  filename: string | null;
  storage_path: string | null;
  meta_media_id: string | null;
  direction: 'inbound' | 'outbound';
  status: MediaStatus;
  error: string | null;
  attempts: number;
  expected_sha256: string | null;
  next_attempt_at: number | string | null;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  created_at: number | string;
}

export class MediaRepo {
  constructor(private readonly db: Knex) {}

  /** The business number (whatsapp_numbers.id) a file arrived on: its message's conversation's number. */
  async receivingNumberId(mediaId: string): Promise<string | null> {
    const row = (await this.db('messages as m')
      .join('conversations as c', 'c.id', 'm.conversation_id')
      .where('m.media_id', mediaId)
      .whereNotNull('c.whatsapp_number_id')
      .first('c.whatsapp_number_id as id')) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** An inbound file Meta told us about; downloaded in the background. */
  async createInbound(
    input: { metaMediaId: string; mime: string | null; expectedSha256: string | null; filename: string | null },
    trx: Knex = this.db,
  ): Promise<MediaRow> {
    const now = Date.now();
    const row: MediaRow = {
      id: newId(),
      sha256: null,
      mime: input.mime,
      size: null,
      filename: input.filename,
      storage_path: null,
      meta_media_id: input.metaMediaId,
      direction: 'inbound',
      status: 'pending',
      error: null,
      attempts: 0,
      expected_sha256: input.expectedSha256,
      next_attempt_at: now,
      lease_owner: null,
      lease_expires_at: null,
      created_at: now,
    };
    await trx('media').insert(row);
    return row;
  }

  /** A file we already hold on disk (an upload); ready to serve and to send. */
  async createStored(
    input: { id: string; sha256: string; mime: string; size: number; filename: string | null; storagePath: string },
    trx: Knex = this.db,
  ): Promise<MediaRow> {
    const row: MediaRow = {
      id: input.id,
      sha256: input.sha256,
      mime: input.mime,
      size: input.size,
      filename: input.filename,
      storage_path: input.storagePath,
      meta_media_id: null,
      direction: 'outbound',
      status: 'ready',
      error: null,
      attempts: 0,
      expected_sha256: null,
      next_attempt_at: null,
      lease_owner: null,
      lease_expires_at: null,
      created_at: Date.now(),
    };
    await trx('media').insert(row);
    return row;
  }

  /** Files agents uploaded and that are ready to send, newest first (the template picker's saved assets). */
  async recentUploads(opts: { mimePrefix?: string; limit: number }): Promise<MediaRow[]> {
    const q = this.db<MediaRow>('media').where({ direction: 'outbound', status: 'ready' }).whereNotNull('storage_path');
    if (opts.mimePrefix) q.andWhere('mime', 'like', `${opts.mimePrefix}%`);
    return q
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(opts.limit);
  }

  async byId(id: string, trx: Knex = this.db): Promise<MediaRow | null> {
    return (await trx<MediaRow>('media').where({ id }).first()) ?? null;
  }

  /** Lease up to `limit` due downloads to `owner` and count the attempt, oldest first (other nodes' claims skipped). */
  async claimDownloads(owner: string, limit: number, leaseMs: number, now = Date.now()): Promise<MediaRow[]> {
    const db = this.db;
    const due = (q: Knex.QueryBuilder) =>
      q
        .where({ direction: 'inbound', status: 'pending' })
        .andWhere((w) => w.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
        .andWhere((w) => w.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now));
    const ids = due(db('media').select('id')).orderBy('id').limit(limit);
    dialectOf(db).skipLockedRows(ids);
    const rows = (await due(db('media'))
      .whereIn('id', ids)
      .update({ lease_owner: owner, lease_expires_at: now + leaseMs, attempts: db.raw('attempts + 1') })
      .returning('*')) as MediaRow[];
    return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** When the next download falls due (its retry time, or a dead downloader's lease running out), or null. */
  async nextDownloadAt(): Promise<number | null> {
    const row = (await this.db('media')
      .where({ direction: 'inbound', status: 'pending' })
      .select(
        this.db.raw(
          'min(CASE WHEN lease_expires_at IS NOT NULL AND (next_attempt_at IS NULL OR lease_expires_at > next_attempt_at) THEN lease_expires_at ELSE next_attempt_at END) as at',
        ),
      )
      .first()) as { at: unknown } | undefined;
    return ms(row?.at);
  }

  /** Downloaded and checked; false when `owner` no longer holds the lease. */
  async markReady(id: string, owner: string, input: { sha256: string; mime: string; size: number; storagePath: string }): Promise<boolean> {
    const n = await this.db('media').where({ id, lease_owner: owner }).update({
      status: 'ready',
      sha256: input.sha256,
      mime: input.mime,
      size: input.size,
      storage_path: input.storagePath,
      error: null,
      next_attempt_at: null,
      lease_owner: null,
      lease_expires_at: null,
    });
    return n > 0;
  }

  /** A temporary failure: try again at `nextAttemptAt`. */
  async markRetry(id: string, owner: string, error: string, nextAttemptAt: number): Promise<boolean> {
    const n = await this.db('media')
      .where({ id, lease_owner: owner })
      .update({ error: error.slice(0, 255), next_attempt_at: nextAttemptAt, lease_owner: null, lease_expires_at: null });
    return n > 0;
  }

  async markFailed(id: string, owner: string, error: string): Promise<boolean> {
    const n = await this.db('media')
      .where({ id, lease_owner: owner })
      .update({ status: 'failed', error: error.slice(0, 255), next_attempt_at: null, lease_owner: null, lease_expires_at: null });
    return n > 0;
  }

  /** The messages showing this file (to push them again once it is ready). */
  async messageIdsFor(mediaId: string): Promise<string[]> {
    return ((await this.db('messages').where({ media_id: mediaId }).select('id')) as { id: string }[]).map((r) => r.id);
  }

  /** Remember Meta's id for an uploaded file, so it is uploaded once however often it is sent. */
  async setMetaMediaId(id: string, metaMediaId: string): Promise<void> {
    await this.db('media').where({ id }).update({ meta_media_id: metaMediaId });
  }
}
