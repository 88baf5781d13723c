/** Bodies of `POST /{phone-number-id}/messages` (what the client sends and the sandbox accepts). */
import { z } from 'zod';

const mediaRef = z
  .looseObject({ id: z.string().optional(), link: z.string().url().optional(), caption: z.string().max(1024).optional(), filename: z.string().optional() })
  .refine((m) => Boolean(m.id) !== Boolean(m.link), 'media needs exactly one of id or link');

export const TemplateComponentSchema = z.looseObject({
  type: z.enum(['header', 'body', 'button', 'footer']),
  sub_type: z.string().optional(),
  index: z.union([z.string(), z.number()]).optional(),
  parameters: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).default([]),
});

export const SendMessageSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  /** `group` with a group id in `to` (Groups API); `individual` by default. */
  recipient_type: z.enum(['individual', 'group']).optional(),
  /** A phone number; takes precedence over `recipient` when both are given (Meta's rule). */
  to: z.string().min(1).optional(),
  /** A business-scoped user id (2026): how a username user without a shared number is reached. */
  recipient: z.string().min(1).optional(),
  type: z.enum(['text', 'template', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive', 'reaction']).default('text'),
  context: z.looseObject({ message_id: z.string() }).optional(),
  text: z.looseObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).optional(),
  template: z
    .looseObject({
      name: z.string().min(1),
      language: z.looseObject({ code: z.string().min(2), policy: z.string().optional() }),
      components: z.array(TemplateComponentSchema).optional(),
    })
    .optional(),
  image: mediaRef.optional(),
  audio: mediaRef.optional(),
  video: mediaRef.optional(),
  document: mediaRef.optional(),
  sticker: mediaRef.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  contacts: z.array(z.looseObject({})).optional(),
  interactive: z.looseObject({ type: z.string() }).optional(),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string() }).optional(),
});
export type SendMessage = z.infer<typeof SendMessageSchema>;

export const MarkReadSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: z.string().min(1),
  typing_indicator: z.looseObject({ type: z.literal('text') }).optional(),
});

export interface SendMessageResponse {
  messaging_product: 'whatsapp';
  contacts: { input: string; wa_id?: string; user_id?: string }[];
  messages: { id: string; message_status?: string }[];
}

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_user_title?: string;
    error_user_msg?: string;
    error_data?: { messaging_product?: string; details?: string };
    fbtrace_id: string;
  };
}
