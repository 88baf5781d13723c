/**
 * Downloads inbound media in the background: GET /{media-id} → a short-lived URL → the bytes with
 * the bearer token; refuses files over the Cloud API's limit for their kind, checks the sha256
 * the webhook announced, stores the file under DATA_DIR/media and marks the media row ready (or
 * failed, with why). Pending downloads are a durable job queue (jobs/): leased, retried with
 * backoff when the failure is temporary, and they survive restarts.
 */
import { createHash } from 'node:crypto';
import type { MediaRepo, MediaRow } from '../db/repos/media-repo.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import type { SettledJob } from '../jobs/job.ts';
import type { Logger } from '../logger.ts';
import { retryDelay } from './backoff.ts';
import type { CloudApi } from './graph-api.ts';
import { errorCodeOf, isRetryable, MediaTooLargeError } from './graph-error.ts';
import type { MediaType } from '@connectdesk/shared/cloud-api/inbound-summary';
import type { MediaStore } from './media-store.ts';
import { WHATSAPP_MAX_BYTES } from './media-types.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import type { NumberRegistry } from './number-registry.ts';

const MAX_ATTEMPTS = 5;
const POLL_MS = 30_000;
/** Longer than the slowest download (Graph timeouts included). */
const LEASE_MS = 5 * 60_000;

export interface InboundMediaDeps {
  media: MediaRepo;
  store: MediaStore;
  numbers: NumberRegistry;
  cloud: CloudApi;
  push: ConversationLog;
  logger: Logger;
  concurrency?: number;
}

/** The limit for a file of this MIME type (stickers are webp images). */
function maxBytesForMime(mime: string | null): number {
  const m = (mime ?? '').toLowerCase();
  const kind: MediaType =
    m === 'image/webp' ? 'sticker' : m.startsWith('image/') ? 'image' : m.startsWith('audio/') ? 'audio' : m.startsWith('video/') ? 'video' : 'document';
  return WHATSAPP_MAX_BYTES[kind];
}

/** Meta gives the sha256 as hex in some places and base64 in others: accept either. */
function checksumMatches(data: Buffer, expected: string): boolean {
  const digest = createHash('sha256').update(data).digest();
  const e = expected.trim();
  return e.toLowerCase() === digest.toString('hex') || e === digest.toString('base64') || e.replace(/=+$/, '') === digest.toString('base64url');
}

class PermanentMediaError extends Error {}

interface DownloadedFile {
  sha256: string;
  mime: string;
  size: number;
  storagePath: string;
}

export class InboundMediaDownloader {
  private readonly runner: JobRunner<MediaRow, DownloadedFile>;

  constructor(private readonly deps: InboundMediaDeps) {
    const { media } = deps;
    this.runner = new JobRunner({
      name: 'media downloads',
      store: { claim: (owner, limit, leaseMs, now) => media.claimDownloads(owner, limit, leaseMs, now), nextDueAt: () => media.nextDownloadAt() },
      handler: { perform: (row) => this.download(row), record: (settled, owner) => this.record(settled, owner) },
      retry: {
        maxAttempts: MAX_ATTEMPTS,
        isRetryable: (err) => {
          const code = errorCodeOf(err);
          return !(err instanceof PermanentMediaError || err instanceof MediaTooLargeError || (code !== 'unknown' && !isRetryable(err)));
        },
        delayMs: (attempts, err) => retryDelay(attempts, errorCodeOf(err)),
      },
      logger: deps.logger,
      concurrency: deps.concurrency ?? 2,
      leaseMs: LEASE_MS,
      pollMs: POLL_MS,
      minDelayMs: 250,
    });
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Look for downloads now (a webhook announced a file). */
  wake(): void {
    this.runner.wake();
  }

  private async download(row: MediaRow): Promise<DownloadedFile> {
    // Meta only gives a file to the number it was sent to: use that number's token (else the default).
    const number = await this.deps.numbers.forConversation(await this.deps.media.receivingNumberId(row.id));
    if (!number || !row.meta_media_id) throw new PermanentMediaError('no WhatsApp number or media id to download with');
    const token = this.deps.numbers.tokenFor(number);
    const info = await this.deps.cloud.getMediaInfo(row.meta_media_id, { token });
    const mime = info.mime_type || row.mime || 'application/octet-stream';
    const maxBytes = maxBytesForMime(mime);
    if (info.file_size > maxBytes) throw new MediaTooLargeError(maxBytes);
    const data = await this.deps.cloud.downloadMedia(info.url, { maxBytes, token });
    const expected = row.expected_sha256 ?? info.sha256;
    if (expected && !checksumMatches(data, expected)) throw new PermanentMediaError('the downloaded file does not match the sha256 WhatsApp announced');
    const storagePath = await this.deps.store.write(row.id, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    return { sha256, mime, size: data.length, storagePath };
  }

  private async record(settled: SettledJob<MediaRow, DownloadedFile>[], owner: string): Promise<void> {
    for (const { job: row, outcome } of settled) {
      let changed: boolean;
      if (outcome.status === 'done') changed = await this.deps.media.markReady(row.id, owner, outcome.result);
      else if (outcome.status === 'deferred')
        continue; // downloads are never deferred
      else {
        const code = errorCodeOf(outcome.error);
        const reason = `${code === 'unknown' ? '' : `${code}: `}${(outcome.error as Error).message}`;
        if (outcome.status === 'retry') {
          await this.deps.media.markRetry(row.id, owner, reason, outcome.at);
          continue;
        }
        this.deps.logger.warn({ mediaId: row.id, reason }, 'inbound media download failed for good');
        changed = await this.deps.media.markFailed(row.id, owner, reason);
      }
      if (changed) for (const id of await this.deps.media.messageIdsFor(row.id)) await this.deps.push.announceById(id);
    }
  }
}
