/**
 * What a simulated phone may send to the business: a Cloud API inbound message object without
 * `from`/`id`/`timestamp`. Media comes as base64 bytes (`data_base64` + `mime_type`) and becomes
 * sandbox media the server downloads through `GET /{media-id}` like any inbound media.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { badInput } from './errors.ts';

const INBOUND_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'edit',
  'revoke',
  'unsupported',
] as const;
const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker']);
const MB = 1024 * 1024;

/** What WhatsApp lets a user send, per media type. */
const INBOUND_MEDIA: Record<string, { mime: RegExp; maxBytes: number }> = {
  image: { mime: /^image\/(jpeg|png)$/, maxBytes: 5 * MB },
  sticker: { mime: /^image\/webp$/, maxBytes: 500 * 1024 },
  audio: { mime: /^audio\/(aac|amr|mpeg|mp4|ogg)$/, maxBytes: 16 * MB },
  video: { mime: /^video\/(mp4|3gpp)$/, maxBytes: 16 * MB },
  document: { mime: /^[a-z]+\/[a-z0-9.+-]+$/, maxBytes: 100 * MB },
};

export const PhoneMessageSchema = z
  .looseObject({
    type: z.enum(INBOUND_TYPES, { message: `type must be one of ${INBOUND_TYPES.join(', ')}` }),
    profile_name: z.string().trim().min(1).max(100).optional(),
    context: z.object({ id: z.string().min(1, 'context.id must be a wamid') }).optional(),
    text: z.object({ body: z.string().min(1, 'text.body must not be empty').max(4096) }).optional(),
    reaction: z.looseObject({ message_id: z.string().min(1), emoji: z.string() }).optional(),
    location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
    button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
    edit: z.looseObject({ original_message_id: z.string().min(1) }).optional(),
    revoke: z.looseObject({ original_message_id: z.string().min(1) }).optional(),
  })
  .superRefine((m, ctx) => {
    const content = (m as Record<string, unknown>)[m.type];
    if (!content || typeof content !== 'object' || Array.isArray(content) !== (m.type === 'contacts')) {
      ctx.addIssue({ code: 'custom', path: [m.type], message: `a ${m.type} message needs a "${m.type}" ${m.type === 'contacts' ? 'array' : 'object'}` });
    }
  });
export type PhoneMessage = z.infer<typeof PhoneMessageSchema>;

export interface InboundMedia {
  bytes: Buffer;
  mimeType: string;
  filename: string | null;
}

/**
 * Splits the phone's body into the webhook's message content and, for media, the bytes to store.
 * `attachMedia(id)` finishes the media object once the bytes are stored.
 */
export function toWebhookContent(m: PhoneMessage): { content: Record<string, unknown>; media: InboundMedia | null; attachMedia: (id: string) => void } {
  const { profile_name: _name, context, type, ...rest } = m;
  const content: Record<string, unknown> = { type, ...rest };
  if (context) content.context = { id: context.id };
  if (!MEDIA_TYPES.has(type)) return { content, media: null, attachMedia: () => {} };

  const raw = (m as Record<string, unknown>)[type] as Record<string, unknown>;
  const mime = typeof raw.mime_type === 'string' ? raw.mime_type.toLowerCase() : '';
  const data = typeof raw.data_base64 === 'string' ? raw.data_base64 : '';
  const rule = INBOUND_MEDIA[type]!;
  if (!rule.mime.test(mime)) throw badInput(`${type}.mime_type "${mime}" is not a ${type} type WhatsApp accepts`);
  if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data.replace(/\s+/g, ''))) throw badInput(`${type}.data_base64 must be the file's bytes in base64`);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0) throw badInput(`${type}.data_base64 decodes to an empty file`);
  if (bytes.length > rule.maxBytes) throw badInput(`${type} is ${bytes.length} bytes; WhatsApp allows at most ${rule.maxBytes}`);
  const filename = typeof raw.filename === 'string' ? raw.filename : null;
  if (typeof raw.caption === 'string' && raw.caption.length > 1024) throw badInput(`${type}.caption must be at most 1024 characters`);

  const { data_base64: _d, ...meta } = raw;
  const mediaObject: Record<string, unknown> = { ...meta, mime_type: mime, sha256: createHash('sha256').update(bytes).digest('base64') };
  if (type === 'audio' && mediaObject.voice === undefined) mediaObject.voice = mime === 'audio/ogg';
  content[type] = mediaObject;
  return {
    content,
    media: { bytes, mimeType: mime, filename },
    attachMedia: (id) => {
      mediaObject.id = id;
    },
  };
}
