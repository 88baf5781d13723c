/**
 * Which files ConnectDesk accepts, decided by their first bytes (magic numbers), never by the
 * name or the declared Content-Type; and the Cloud API's size limits per kind of media.
 */
import type { MediaType } from '@connectdesk/shared/cloud-api/inbound-summary';

export interface SniffedType {
  mime: string;
  ext: string;
}

const MB = 1024 * 1024;

/** Meta's limits (DESIGN.md): image 5 MB, audio/video 16 MB, documents 100 MB, stickers 500 KB. */
export const WHATSAPP_MAX_BYTES: Record<MediaType, number> = {
  image: 5 * MB,
  audio: 16 * MB,
  video: 16 * MB,
  document: 100 * MB,
  sticker: 500 * 1024,
};

const startsWith = (b: Buffer, sig: number[] | string, offset = 0) => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= offset + bytes.length && b.subarray(offset, offset + bytes.length).equals(bytes);
};

/** A ZIP's local-file signature: Office documents are ZIPs, verified by `ooxmlType` (ooxml.ts). */
export function isZip(b: Buffer): boolean {
  return startsWith(b, [0x50, 0x4b, 0x03, 0x04]);
}

function isPlainText(b: Buffer): boolean {
  if (b.length === 0) return false;
  const sample = b.subarray(0, Math.min(b.length, 64 * 1024));
  for (const byte of sample) if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) return false;
  // Valid UTF-8 (a multi-byte character may be cut at the sample's end).
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad <= (sample.length < b.length ? 1 : 0);
}

/**
 * The allow-listed type of these bytes, or null. `filename` only separates .txt from .csv. ZIPs
 * (Office documents) cannot be judged from their first bytes: see `isZip` and ooxml.ts.
 */
export function sniffMediaType(b: Buffer, filename?: string | null): SniffedType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
  if (startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a')) return { mime: 'image/gif', ext: 'gif' };
  if (startsWith(b, 'RIFF') && startsWith(b, 'WEBP', 8)) return { mime: 'image/webp', ext: 'webp' };
  if (startsWith(b, '%PDF-')) return { mime: 'application/pdf', ext: 'pdf' };
  if (startsWith(b, 'OggS')) return { mime: 'audio/ogg', ext: 'ogg' };
  if (startsWith(b, '#!AMR')) return { mime: 'audio/amr', ext: 'amr' };
  if (startsWith(b, 'ID3') || (b.length > 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0)) return { mime: 'audio/mpeg', ext: 'mp3' };
  if (startsWith(b, 'ftyp', 4)) {
    const brand = b.subarray(8, 12).toString('latin1');
    if (brand.startsWith('M4A')) return { mime: 'audio/mp4', ext: 'm4a' };
    if (brand.startsWith('3gp')) return { mime: 'video/3gpp', ext: '3gp' };
    return { mime: 'video/mp4', ext: 'mp4' };
  }
  if (isZip(b)) return null;
  if (isPlainText(b)) return /\.csv$/i.test(filename ?? '') ? { mime: 'text/csv', ext: 'csv' } : { mime: 'text/plain', ext: 'txt' };
  return null;
}

/** How a file of this type is sent on WhatsApp. */
export function whatsappMediaType(mime: string): MediaType {
  if (mime === 'image/jpeg' || mime === 'image/png') return 'image';
  if (mime === 'image/webp') return 'sticker';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime === 'video/mp4' || mime === 'video/3gpp') return 'video';
  return 'document';
}

/** Images, audio and video may be shown in the browser; anything else is downloaded. */
export function isInlineMime(mime: string | null): boolean {
  return Boolean(mime && /^(image\/(jpeg|png|gif|webp)|audio\/|video\/)/.test(mime));
}
