/**
 * Links that let a visitor's widget show the files of its own conversation. Stored media is served
 * to agents only (`/admin/api/media/:id`, behind the session); what a visitor receives — the
 * history after a reload, pushes of new messages, the answer to an upload — carries instead a
 * signed, expiring `/api/media/:id?exp=…&sig=…` for each file in it. The signature (HMAC-SHA256
 * with a key derived from APP_KEY) binds the media id and the expiry, so a link opens that one
 * file until then and nothing else; every fetch of the history mints fresh links.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MessageJson } from '@connectdesk/shared';

export const VISITOR_MEDIA_PATH = '/api/media';
const DEFAULT_TTL_MS = 24 * 3600_000;

export class VisitorMediaLinks {
  private readonly key: Buffer;

  constructor(
    appKey: Buffer,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {
    this.key = createHmac('sha256', appKey).update('connectdesk visitor media links v1').digest();
  }

  url(mediaId: string, now = Date.now()): string {
    const exp = Math.floor((now + this.ttlMs) / 1000);
    return `${VISITOR_MEDIA_PATH}/${encodeURIComponent(mediaId)}?exp=${exp}&sig=${this.sign(mediaId, exp)}`;
  }

  /** True when `sig` was made by `url()` for this media id and `exp` has not passed. */
  verify(mediaId: string, exp: unknown, sig: unknown, now = Date.now()): boolean {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string' || !/^[\w-]{43}$/.test(sig)) return false;
    if (Number(exp) * 1000 < now) return false;
    return timingSafeEqual(Buffer.from(sig), Buffer.from(this.sign(mediaId, Number(exp))));
  }

  /** The message as a visitor receives it: its file (if any) behind a visitor link. */
  forVisitor(message: MessageJson): MessageJson {
    const media = message.media;
    if (!media?.ready) return message;
    return { ...message, media: { ...media, url: this.url(media.id) } };
  }

  private sign(mediaId: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${mediaId}.${exp}`).digest('base64url');
  }
}
