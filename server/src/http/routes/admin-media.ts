/**
 * Media for agents: `POST /admin/api/media` (multipart, field `file`) stores a file to send on
 * WhatsApp and answers `{ media_id }`; `GET /admin/api/media/:id` serves a stored file — inbound
 * media once downloaded, uploads — with its type, `Content-Disposition` (inline for images, audio
 * and video, attachment otherwise) and `nosniff`; `GET /admin/api/media?kind=image|video|document`
 * lists the files agents uploaded, newest first (saved assets for template headers). Only signed-in
 * agents reach these routes.
 */
import fs from 'node:fs';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { koaBody } from 'koa-body';
import type { MediaRepo } from '../../db/repos/media-repo.ts';
import { AppError, notFound } from '../../errors.ts';
import type { MediaStore } from '../../whatsapp/media-store.ts';
import { safeFilename, servedType } from '../../whatsapp/media-names.ts';
import { isInlineMime } from '../../whatsapp/media-types.ts';
import { AGENT_MAX_BYTES, AGENT_UPLOADS, type MediaUploads, type UploadedFile } from '../../whatsapp/media-uploads.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withQuery } from '../middleware/validate.ts';
import { MediaListQuerySchema } from '@connectdesk/shared';

/** Multipart with one file, streamed to the media store's incoming folder; errors become 413/400. */
export function multipartUpload(opts: { maxBytes: number; uploadDir: string }): Middleware {
  fs.mkdirSync(opts.uploadDir, { recursive: true });
  return koaBody({
    multipart: true,
    json: false,
    urlencoded: false,
    text: false,
    formidable: {
      uploadDir: opts.uploadDir,
      maxFiles: 1,
      maxFileSize: opts.maxBytes,
      maxTotalFileSize: opts.maxBytes,
      maxFields: 10,
      maxFieldsSize: 64 * 1024,
      allowEmptyFiles: false,
      minFileSize: 1,
    },
    onError: (err) => {
      const code = (err as { httpCode?: number }).httpCode;
      if (code === 413 || /maxFileSize|maxTotalFileSize/.test(err.message))
        throw new AppError('payload_too_large', `the file is larger than ${Math.floor(opts.maxBytes / (1024 * 1024))} MB`);
      throw new AppError('validation_failed', `could not read the upload: ${err.message}`);
    },
  });
}

/** The one uploaded file (field `file`), or a clear 400. */
export function uploadedFile(ctx: { request: { files?: unknown } }): UploadedFile {
  const files = (ctx.request.files ?? {}) as Record<string, UploadedFile | UploadedFile[] | undefined>;
  const all = Object.values(files).flatMap((f) => (Array.isArray(f) ? f : f ? [f] : []));
  const file = Array.isArray(files.file) ? files.file[0] : files.file;
  if (!file) {
    for (const f of all) fs.rmSync(f.filepath, { force: true });
    throw new AppError('validation_failed', 'send multipart/form-data with the file in a field named "file"');
  }
  return file;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function contentDisposition(kind: 'inline' | 'attachment', filename: string | null): string {
  if (!filename) return kind;
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Serves a stored file with its type, disposition and headers that keep a browser from running it. */
export async function serveMedia(ctx: Context, deps: { media: MediaRepo; store: MediaStore }, id: string): Promise<void> {
  const row = await deps.media.byId(id);
  if (!row) throw notFound('media');
  if (row.status === 'pending') throw new AppError('conflict', 'this file is still being downloaded from WhatsApp; try again in a moment');
  if (row.status === 'failed' || !row.storage_path)
    throw new AppError('not_found', `this file could not be downloaded from WhatsApp${row.error ? `: ${row.error}` : ''}`);
  if (!(await deps.store.exists(row.storage_path))) throw notFound('media file');
  // Only known types are served as themselves, and the name's extension always matches the type
  // (files from WhatsApp carry the sender's name and declared type).
  const mime = servedType(row.mime);
  ctx.set('Content-Type', mime);
  if (row.size !== null) ctx.set('Content-Length', String(row.size));
  ctx.set('Content-Disposition', contentDisposition(isInlineMime(mime) ? 'inline' : 'attachment', row.filename ? safeFilename(row.filename, mime) : null));
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
  ctx.body = deps.store.stream(row.storage_path);
}

export function adminMediaRoutes(deps: { media: MediaRepo; store: MediaStore; uploads: MediaUploads }): Router {
  const router = new Router({ prefix: '/admin/api/media' });

  router.post('/', requireScope('conversations:write'), multipartUpload({ maxBytes: AGENT_MAX_BYTES, uploadDir: deps.store.incomingDir }), async (ctx) => {
    const row = await deps.uploads.accept(uploadedFile(ctx), AGENT_UPLOADS);
    ctx.status = 201;
    ctx.body = { media_id: row.id, media: { id: row.id, mime: row.mime, size: Number(row.size), filename: row.filename } };
  });

  router.get(
    '/',
    requireScope('conversations:read'),
    withQuery(MediaListQuerySchema, async (ctx, q) => {
      const prefix = q.kind === 'document' ? 'application/' : q.kind ? `${q.kind}/` : undefined;
      const rows = await deps.media.recentUploads({ mimePrefix: prefix, limit: q.limit });
      ctx.body = {
        data: rows.map((r) => ({
          id: r.id,
          mime: r.mime ?? 'application/octet-stream',
          size: Number(r.size ?? 0),
          filename: r.filename,
          url: `/admin/api/media/${r.id}`,
        })),
      };
    }),
  );

  router.get('/:id', requireScope('conversations:read'), async (ctx) => {
    await serveMedia(ctx, deps, ctx.params.id!);
  });

  return router;
}
