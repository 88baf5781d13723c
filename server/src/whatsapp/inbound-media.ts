/**
 * Downloads inbound media in the background: GET /{media-id} → a short-lived URL → the bytes with
 * the bearer token; refuses files over the Cloud API's limit for their kind, checks the sha256
 * the webhook announced, stores the file under DATA_DIR/media and marks the media row ready (or
 * failed, with why). Temporary failures retry with backoff; pending downloads survive restarts.
 */
import { SerialPump } from './serial-pump.ts';
import { createHash } from 'node:crypto';
import type { MediaRepo, MediaRow } from '../db/repos/media-repo.ts';
import type { Logger } from '../logger.ts';
import { retryDelay } from './backoff.ts';
import type { CloudApi } from './graph-api.ts';
import { errorCodeOf, isRetryable, MediaTooLargeError } from './graph-error.ts';
import type { MediaType } from './inbound-summary.ts';
import type { MediaStore } from './media-store.ts';
import { WHATSAPP_MAX_BYTES } from './media-types.ts';
import type { MessagePush } from './message-push.ts';
import type { NumberRegistry } from './number-registry.ts';

const MAX_ATTEMPTS = 5;
const POLL_MS = 30_000;

export interface InboundMediaDeps {
  media: MediaRepo;
  store: MediaStore;
  numbers: NumberRegistry;
  cloud: CloudApi;
  push: MessagePush;
  logger: Logger;
  concurrency?: number;
}

/** The limit for a file of this MIME type (stickers are webp images). */
export function maxBytesForMime(mime: string | null): number {
  const m = (mime ?? '').toLowerCase();
  const kind: MediaType = m === 'image/webp' ? 'sticker' : m.startsWith('image/') ? 'image' : m.startsWith('audio/') ? 'audio' : m.startsWith('video/') ? 'video' : 'document';
  return WHATSAPP_MAX_BYTES[kind];
}

/** Meta gives the sha256 as hex in some places and base64 in others: accept either. */
export function checksumMatches(data: Buffer, expected: string): boolean {
  const digest = createHash('sha256').update(data).digest();
  const e = expected.trim();
  return e.toLowerCase() === digest.toString('hex') || e === digest.toString('base64') || e.replace(/=+$/, '') === digest.toString('base64url');
}

class PermanentMediaError extends Error {}

export class InboundMediaDownloader {
  private readonly loop = new SerialPump(() => this.pump());
  private active = 0;
  private readonly inflight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly jobs = new Set<Promise<void>>();

  constructor(private readonly d: InboundMediaDeps) {}

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.loop.stop();
    await Promise.allSettled([...this.jobs]);
  }

  kick(): void {
    this.loop.kick();
  }

  private async pump(): Promise<void> {
    try {
      const free = (this.d.concurrency ?? 2) - this.active;
      if (free > 0) {
        const due = (await this.d.media.dueDownloads(free + this.inflight.size)).filter((m) => !this.inflight.has(m.id)).slice(0, free);
        for (const row of due) this.run(row);
      }
      await this.schedule();
    } catch (err) {
      this.d.logger.error({ err }, 'media download loop failed');
    }
  }

  private run(row: MediaRow): void {
    this.active++;
    this.inflight.add(row.id);
    const job = this.download(row)
      .catch((err) => this.d.logger.error({ err, mediaId: row.id }, 'media download bookkeeping failed'))
      .finally(() => {
        this.active--;
        this.inflight.delete(row.id);
        this.jobs.delete(job);
        this.kick();
      });
    this.jobs.add(job);
  }

  private async schedule(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (!this.loop.running) return;
    const at = await this.d.media.nextDownloadAt();
    const delay = at === null ? POLL_MS : Math.min(POLL_MS, Math.max(250, at - Date.now()));
    this.timer = setTimeout(() => this.kick(), delay);
    this.timer.unref();
  }

  private async download(row: MediaRow): Promise<void> {
    try {
      const number = await this.d.numbers.defaultNumber();
      if (!number || !row.meta_media_id) throw new PermanentMediaError('no WhatsApp number or media id to download with');
      const token = this.d.numbers.tokenFor(number);
      const info = await this.d.cloud.getMediaInfo(row.meta_media_id, { token });
      const mime = info.mime_type || row.mime || 'application/octet-stream';
      const maxBytes = maxBytesForMime(mime);
      if (info.file_size > maxBytes) throw new MediaTooLargeError(maxBytes);
      const data = await this.d.cloud.downloadMedia(info.url, { maxBytes, token });
      const expected = row.expected_sha256 ?? info.sha256;
      if (expected && !checksumMatches(data, expected)) throw new PermanentMediaError('the downloaded file does not match the sha256 WhatsApp announced');
      const storagePath = await this.d.store.write(row.id, data);
      const sha256 = createHash('sha256').update(data).digest('hex');
      await this.d.media.markReady(row.id, { sha256, mime, size: data.length, storagePath });
    } catch (err) {
      const attempt = row.attempts + 1;
      const code = errorCodeOf(err);
      const reason = `${code === 'unknown' ? '' : `${code}: `}${(err as Error).message}`;
      const permanent = err instanceof PermanentMediaError || err instanceof MediaTooLargeError || (code !== 'unknown' && !isRetryable(err));
      if (permanent || attempt >= MAX_ATTEMPTS) {
        this.d.logger.warn({ mediaId: row.id, reason }, 'inbound media download failed for good');
        await this.d.media.markFailed(row.id, reason);
      } else {
        await this.d.media.markRetry(row.id, reason, Date.now() + retryDelay(attempt, code));
        return;
      }
    }
    for (const id of await this.d.media.messageIdsFor(row.id)) await this.d.push.messageById(id);
  }
}
