/**
 * Files uploaded by agents (to send on WhatsApp) and by visitors (attachments in the widget):
 * the type is decided by the file's first bytes against an allow-list (Office documents by their
 * ZIP's parts, ooxml.ts), the size against the limit for that kind, and the file is moved into the
 * media store with its sha256 under a name whose extension matches that type (media-names.ts).
 * The upload's temp file is always removed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { MediaRepo, MediaRow } from '../db/repos/media-repo.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { MediaStore } from './media-store.ts';
import { safeFilename } from './media-names.ts';
import { isZip, sniffMediaType, whatsappMediaType, WHATSAPP_MAX_BYTES } from './media-types.ts';
import { ooxmlType } from './ooxml.ts';

/** What a multipart parser leaves us (formidable's File). */
export interface UploadedFile {
  filepath: string;
  size: number;
  originalFilename?: string | null;
}

export interface UploadPolicy {
  /** Types this audience may upload. */
  allow: (mime: string) => boolean;
  /** The largest file for a type. */
  maxBytes: (mime: string) => number;
}

const MB = 1024 * 1024;
const VISITOR_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

export const VISITOR_MAX_BYTES = 10 * MB;
/** The largest multipart body an agent may send (WhatsApp's document limit). */
export const AGENT_MAX_BYTES = WHATSAPP_MAX_BYTES.document;

/** Visitors: images and everyday documents, at most 10 MB. */
export const VISITOR_UPLOADS: UploadPolicy = { allow: (m) => VISITOR_TYPES.has(m), maxBytes: () => VISITOR_MAX_BYTES };

/** Agents: anything WhatsApp can carry, within WhatsApp's limit for its kind. */
export const AGENT_UPLOADS: UploadPolicy = { allow: () => true, maxBytes: (m) => WHATSAPP_MAX_BYTES[whatsappMediaType(m)] };

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class MediaUploads {
  constructor(
    private readonly media: MediaRepo,
    private readonly store: MediaStore,
  ) {}

  /** Drop an upload we do not need (a repeated client_id). */
  async discard(file: UploadedFile): Promise<void> {
    await fs.rm(file.filepath, { force: true });
  }

  async accept(file: UploadedFile, policy: UploadPolicy): Promise<MediaRow> {
    try {
      if (!file.size) throw new AppError('validation_failed', 'the file is empty');
      const head = await readHead(file.filepath, 64 * 1024);
      const type = isZip(head) ? await ooxmlType(file.filepath) : sniffMediaType(head, file.originalFilename);
      if (!type || !policy.allow(type.mime)) {
        throw new AppError('unsupported_media_type', 'this kind of file is not accepted (images, PDF, text and Office documents are)');
      }
      const max = policy.maxBytes(type.mime);
      if (file.size > max) throw new AppError('payload_too_large', `files of type ${type.mime} may be at most ${Math.floor(max / 1024)} KB`);
      const sha256 = await sha256File(file.filepath);
      const id = newId();
      const storagePath = await this.store.importFile(id, file.filepath);
      return await this.media.createStored({
        id,
        sha256,
        mime: type.mime,
        size: file.size,
        filename: safeFilename(file.originalFilename, type.mime),
        storagePath,
      });
    } finally {
      await fs.rm(file.filepath, { force: true });
    }
  }
}
