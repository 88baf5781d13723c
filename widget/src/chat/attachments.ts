/** Attachments: checked here before upload (≤ 10 MB; images, PDF, common documents). */
import type { ErrorBody, MessageEnvelope, MessageJson } from '@connectdesk/shared';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const TYPES = new Set([
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/rtf',
  'text/plain',
  'text/csv',
]);
const IMAGES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const EXTENSIONS = /\.(jpe?g|png|gif|webp|pdf|docx?|xlsx?|pptx?|odt|ods|odp|rtf|txt|csv)$/i;

/** For the file input's `accept`. */
export const ACCEPT = 'image/jpeg,image/png,image/gif,image/webp,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf,.txt,.csv';

export type FileProblem = 'too_big' | 'bad_type' | 'empty';

export function checkFile(file: { name: string; size: number; type: string }): FileProblem | null {
  if (file.size === 0) return 'empty';
  if (file.size > MAX_FILE_BYTES) return 'too_big';
  if (IMAGES.has(file.type) || TYPES.has(file.type)) return null;
  // Some systems report no type or a generic one: fall back to the file name's extension.
  if ((file.type === '' || file.type === 'application/octet-stream') && EXTENSIONS.test(file.name)) return null;
  return 'bad_type';
}

export const isImage = (mime: string | null | undefined) => Boolean(mime && IMAGES.has(mime));

export async function uploadAttachment(
  fetchFn: typeof fetch,
  base: string,
  p: { visitorToken: string; clientId: string; file: File; caption?: string },
): Promise<MessageJson> {
  const form = new FormData();
  form.append('visitor_token', p.visitorToken);
  form.append('client_id', p.clientId);
  if (p.caption) form.append('caption', p.caption);
  form.append('file', p.file, p.file.name);
  const res = await fetchFn(`${base}/api/messages/attachments`, { method: 'POST', body: form, credentials: 'omit' });
  const body = (await res.json().catch(() => null)) as Partial<MessageEnvelope & ErrorBody> | null;
  if (!res.ok || !body?.message) throw new Error(body?.error?.message ?? `upload failed (${res.status})`);
  return body.message;
}
