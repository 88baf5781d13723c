/**
 * Media as the Cloud API does it: `POST /{phone-number-id}/media` (multipart upload → `{ id }`),
 * `GET /{media-id}` → a URL valid for 5 minutes, `DELETE /{media-id}`, and the URL itself, which
 * serves the bytes only with the bearer token (like lookaside.fbsbx.com).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { SandboxContext } from './context.ts';
import { metaErrors } from './errors.ts';
import { newObjectId } from './ids.ts';
import { readMultipart } from './request-body.ts';
import { graphBodyError } from './graph-messages.ts';

const MEDIA_URL_TTL_MS = 5 * 60 * 1000;
export const LOOKASIDE_PATH = '/sandbox/lookaside/whatsapp_business/attachments/';
const MAX_UPLOAD_BYTES = 101 * 1024 * 1024;
const MB = 1024 * 1024;

/** Meta's supported upload types and their size limits. */
const MEDIA_LIMITS: Record<string, number> = {
  'image/jpeg': 5 * MB,
  'image/png': 5 * MB,
  'image/webp': 500 * 1024,
  'audio/aac': 16 * MB,
  'audio/amr': 16 * MB,
  'audio/mpeg': 16 * MB,
  'audio/mp4': 16 * MB,
  'audio/ogg': 16 * MB,
  'video/mp4': 16 * MB,
  'video/3gpp': 16 * MB,
  'text/plain': 100 * MB,
  'application/pdf': 100 * MB,
  'application/msword': 100 * MB,
  'application/vnd.ms-excel': 100 * MB,
  'application/vnd.ms-powerpoint': 100 * MB,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * MB,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * MB,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * MB,
};

/** Size limit for a media type, or null when the Cloud API does not take that type. */
function mediaLimit(mime: string): number | null {
  return MEDIA_LIMITS[mime.split(';')[0]!.trim().toLowerCase()] ?? null;
}

export async function uploadMedia(ctx: Context, sb: SandboxContext): Promise<void> {
  if (!ctx.is('multipart/form-data')) throw metaErrors.invalidParameter('Media must be uploaded as multipart/form-data.');
  const form = await readMultipart(ctx, MAX_UPLOAD_BYTES, graphBodyError);
  if (form.get('messaging_product') !== 'whatsapp') throw metaErrors.invalidParameter('The parameter messaging_product is required and must be "whatsapp".');
  const file = form.get('file');
  if (!file || typeof file === 'string') throw metaErrors.invalidParameter('The parameter file is required and must be a file.');
  const declared = form.get('type');
  const mime = (typeof declared === 'string' && declared ? declared : file.type).split(';')[0]!.trim().toLowerCase();
  const limit = mediaLimit(mime);
  if (limit === null)
    throw metaErrors.mediaUpload(
      `Param file must be a file with one of the following types: ${Object.keys(MEDIA_LIMITS).join(', ')}. Received file of type '${mime}'.`,
    );
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length === 0) throw metaErrors.mediaUpload('The uploaded file is empty.');
  if (bytes.length > limit) throw metaErrors.mediaUpload(`The file is ${bytes.length} bytes; ${mime} files can be at most ${limit} bytes.`);
  const id = storeMedia(sb, bytes, mime, file.name || null);
  ctx.body = { id };
}

export function storeMedia(sb: SandboxContext, bytes: Buffer, mimeType: string, filename: string | null): string {
  const id = newObjectId();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  sb.state.putMedia({ id, bytes, mimeType, sha256, filename, createdAt: sb.now() });
  return id;
}

export function getMediaInfo(ctx: Context, sb: SandboxContext, mediaId: string): void {
  const media = sb.state.getMedia(mediaId)!;
  const expires = sb.now() + MEDIA_URL_TTL_MS;
  const url = new URL(LOOKASIDE_PATH, `${ctx.protocol}://${ctx.host}`);
  url.searchParams.set('mid', media.id);
  url.searchParams.set('ext', String(expires));
  url.searchParams.set('hash', urlHash(sb.mediaUrlKey, media.id, expires));
  ctx.body = {
    messaging_product: 'whatsapp',
    url: url.toString(),
    mime_type: media.mimeType,
    sha256: media.sha256,
    file_size: media.bytes.length,
    id: media.id,
  };
}

export function deleteMedia(ctx: Context, sb: SandboxContext, mediaId: string): void {
  sb.state.deleteMedia(mediaId);
  ctx.body = { success: true };
}

/** The short-lived URL: signed, unexpired, and fetched with the bearer token. */
export function downloadMedia(ctx: Context, sb: SandboxContext, checkToken: (ctx: Context) => void): void {
  checkToken(ctx);
  const mid = String(ctx.query.mid ?? '');
  const ext = Number(ctx.query.ext);
  const hash = String(ctx.query.hash ?? '');
  const expected = Buffer.from(urlHash(sb.mediaUrlKey, mid, ext));
  const given = Buffer.from(hash);
  const media = sb.state.getMedia(mid);
  if (!media || !Number.isFinite(ext) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'Media not found';
    return;
  }
  if (sb.now() > ext) {
    ctx.status = 403;
    ctx.type = 'text/plain';
    ctx.body = 'URL signature expired';
    return;
  }
  ctx.status = 200;
  if (media.filename) ctx.attachment(media.filename, { type: 'inline' });
  ctx.body = media.bytes;
  ctx.type = media.mimeType;
}

function urlHash(key: Buffer, mid: string, expires: number): string {
  return createHmac('sha256', key).update(`${mid}.${expires}`).digest('base64url');
}
