/**
 * WebFiles (conversations/web-files.ts) over the media store: an agent's upload is sent to a web
 * visitor only when it is ready and the visitors' upload policy (type and size) allows it.
 */
import type { MediaRepo } from '../db/repos/media-repo.ts';
import type { WebFile, WebFiles } from '../conversations/web-files.ts';
import { AppError, notFound } from '../errors.ts';
import type { UploadPolicy } from './media-uploads.ts';

export function agentWebFiles(media: MediaRepo, policy: UploadPolicy): WebFiles {
  return {
    async forVisitor(mediaId: string): Promise<WebFile> {
      const row = await media.byId(mediaId);
      if (!row || row.direction !== 'outbound' || row.status !== 'ready' || !row.mime) throw notFound('media (upload it first with POST /admin/api/media)');
      if (!policy.allow(row.mime))
        throw new AppError('unsupported_media_type', 'website visitors can receive images, PDF, text and Office documents; send this file on WhatsApp instead');
      const max = policy.maxBytes(row.mime);
      if (Number(row.size ?? 0) > max)
        throw new AppError('payload_too_large', `files for website visitors may be at most ${Math.floor(max / (1024 * 1024))} MB`);
      return { id: row.id, mime: row.mime, filename: row.filename };
    },
  };
}
