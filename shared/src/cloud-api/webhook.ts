/**
 * Meta Cloud API webhook deliveries (`POST /api/whatsapp/webhook`). Shapes per Meta's 2025–2026
 * docs: v24+ statuses without `conversation`, business-scoped user ids, `edit`/`revoke`. Objects are
 * loose (unknown keys kept) because Meta adds fields without notice; what we rely on is checked.
 */
import { z } from 'zod';

export const WebhookErrorSchema = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type WebhookError = z.infer<typeof WebhookErrorSchema>;

export const WebhookContactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
});

const mediaObject = z.looseObject({
  id: z.string().optional(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  url: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

export const InboundMessageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  /** Set on a message a member posted in a group the business is in (Groups API). */
  group_id: z.string().min(1).optional(),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string().min(1),
  context: z
    .looseObject({ id: z.string().optional(), from: z.string().optional(), forwarded: z.boolean().optional(), frequently_forwarded: z.boolean().optional() })
    .optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: mediaObject.optional(),
  audio: mediaObject.optional(),
  video: mediaObject.optional(),
  document: mediaObject.optional(),
  sticker: mediaObject.optional(),
  location: z
    .looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional(), url: z.string().optional() })
    .optional(),
  contacts: z.array(z.looseObject({})).optional(),
  interactive: z.looseObject({ type: z.string() }).optional(),
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  order: z.looseObject({}).optional(),
  system: z.looseObject({ body: z.string().optional(), type: z.string().optional() }).optional(),
  referral: z.looseObject({}).optional(),
  errors: z.array(WebhookErrorSchema).optional(),
  unsupported: z.looseObject({ type: z.string().optional() }).optional(),
  edit: z.looseObject({}).optional(),
  revoke: z.looseObject({}).optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

export const StatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'failed', 'played', 'deleted', 'warning']).or(z.string()),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: z.array(WebhookErrorSchema).optional(),
  pricing: z
    .looseObject({ billable: z.boolean().optional(), pricing_model: z.string().optional(), category: z.string().optional(), type: z.string().optional() })
    .optional(),
  conversation: z.looseObject({}).optional(),
});
export type Status = z.infer<typeof StatusSchema>;

export const ChangeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string() }).optional(),
  contacts: z.array(WebhookContactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(WebhookErrorSchema).optional(),
});
export type ChangeValue = z.infer<typeof ChangeValueSchema>;

/** The `user_preferences` field: a customer stopped or resumed marketing messages. */
export const UserPreferenceSchema = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  detail: z.string().optional(),
  category: z.string(),
  value: z.string(),
  timestamp: z.union([z.number(), z.string().regex(/^\d+$/)]),
});
export type UserPreference = z.infer<typeof UserPreferenceSchema>;

export const UserPreferencesValueSchema = z.looseObject({
  contacts: z.array(WebhookContactSchema).optional(),
  user_preferences: z.array(UserPreferenceSchema).default([]),
});

export const WebhookBodySchema = z.looseObject({
  object: z.string(),
  entry: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        time: z.number().optional(),
        changes: z.array(z.looseObject({ field: z.string(), value: z.looseObject({}) })).default([]),
      }),
    )
    .max(1000),
});
export type WebhookBody = z.infer<typeof WebhookBodySchema>;
