/**
 * Names and types files are stored and served with: a file's extension always matches its type,
 * so a download can never be opened as something it is not (`.html`, `.hta`, `.svg`, `.exe`, ...).
 * Types we know get their own extensions; anything else is served as `application/octet-stream`
 * and named `.bin`.
 */
import path from 'node:path';

/** Known types → the extensions a file of that type may have (the first is used when it has none). */
const EXTENSIONS: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'audio/ogg': ['ogg', 'oga', 'opus'],
  'audio/amr': ['amr'],
  'audio/mpeg': ['mp3'],
  'audio/mp4': ['m4a'],
  'audio/aac': ['aac'],
  'video/mp4': ['mp4', 'm4v'],
  'video/3gpp': ['3gp', '3gpp'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/zip': ['zip'],
  'application/msword': ['doc'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.ms-powerpoint': ['ppt'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
};

/** The bare type (`audio/ogg; codecs=opus` → `audio/ogg`), lower-case. */
const bare = (mime: string | null | undefined) => (mime ?? '').split(';')[0]!.trim().toLowerCase();

/** The type to send in Content-Type: a known one as stored, anything else as opaque bytes. */
export function servedType(mime: string | null | undefined): string {
  return EXTENSIONS[bare(mime)] ? (mime as string) : 'application/octet-stream';
}

/**
 * A name safe to show, to store and to put in Content-Disposition: no path, no control or shell
 * characters, and an extension that matches `mime` (the wrong one is replaced: `invoice.html` of
 * type image/png becomes `invoice.png`).
 */
export function safeFilename(original: string | null | undefined, mime: string | null | undefined): string {
  const exts = EXTENSIONS[bare(mime)] ?? ['bin'];
  const cleaned = path
    .basename((original ?? '').replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are stripped from file names on purpose
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .trim()
    .slice(0, 200);
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
  if (exts.includes(ext)) return cleaned;
  const stem = (dot > 0 ? cleaned.slice(0, dot) : cleaned).replace(/^\.+/, '').replace(/[.\s]+$/, '');
  return `${stem || 'file'}.${exts[0]}`;
}
