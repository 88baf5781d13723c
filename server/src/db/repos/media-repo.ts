/**
 * Media files: inbound ones announced by a webhook (pending until downloaded and checked), and
 * outbound ones uploaded by agents or visitors (ready at once, sent to Meta on first use).
 * The bytes live under DATA_DIR/media; this table knows where.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { ms } from '../json.ts';

export type MediaStatus = 'pending' | 'ready' | 'failed';

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
  created_at: number | string;
}

export class MediaRepo {
  constructor(private readonly db: Knex) {}

  /** An inbound file Meta told us about; downloaded in the background. */
  async createInbound(input: { metaMediaId: string; mime: string | null; expectedSha256: string | null; filename: string | null }, trx: Knex = this.db): Promise<MediaRow> {
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
      created_at: now,
    };
    await trx('media').insert(row);
    return row;
  }

  /** A file we already hold on disk (an upload); ready to serve and to send. */
  async createStored(input: { id: string; sha256: string; mime: string; size: number; filename: string | null; storagePath: string }, trx: Knex = this.db): Promise<MediaRow> {
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
      created_at: Date.now(),
    };
    await trx('media').insert(row);
    return row;
  }

  async byId(id: string, trx: Knex = this.db): Promise<MediaRow | null> {
    return (await trx<MediaRow>('media').where({ id }).first()) ?? null;
  }

  /** Pending downloads that are due, oldest first. */
  async dueDownloads(limit: number, now = Date.now()): Promise<MediaRow[]> {
    return this.db<MediaRow>('media')
      .where({ direction: 'inbound', status: 'pending' })
      .andWhere((w) => w.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
      .orderBy('id')
      .limit(limit);
  }

  async nextDownloadAt(): Promise<number | null> {
    const row = (await this.db('media').where({ direction: 'inbound', status: 'pending' }).min({ at: 'next_attempt_at' }).first()) as { at: unknown } | undefined;
    return ms(row?.at);
  }

  async markReady(id: string, input: { sha256: string; mime: string; size: number; storagePath: string }): Promise<void> {
    await this.db('media')
      .where({ id })
      .update({ status: 'ready', sha256: input.sha256, mime: input.mime, size: input.size, storage_path: input.storagePath, error: null, next_attempt_at: null });
  }

  async markRetry(id: string, error: string, nextAttemptAt: number): Promise<void> {
    await this.db('media').where({ id }).update({ attempts: this.db.raw('attempts + 1'), error: error.slice(0, 255), next_attempt_at: nextAttemptAt });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db('media').where({ id }).update({ status: 'failed', attempts: this.db.raw('attempts + 1'), error: error.slice(0, 255), next_attempt_at: null });
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
