/**
 * Settings: the widget, canned responses, the business's WhatsApp numbers (access tokens are
 * write-only), what to paste into Meta's dashboard, notifications, the survey and WhatsApp rates.
 */
import { z } from 'zod';
import { NotificationSettingsSchema } from '../agent-day.ts';
import { OwnerForwardingSchema } from '../owner-forwarding.ts';
import { SatisfactionSettingsSchema, WhatsAppRatesSchema } from '../satisfaction.ts';
import { WidgetSettingsSchema } from '../widget-settings.ts';
import { listOf } from './common.ts';
import { phoneAsWaId } from './fields.ts';
import { QUICK_REPLY_LIMITS, ReplyButtonsSchema } from './quick-replies.ts';

export const WidgetSettingsResponseSchema = z.object({ settings: WidgetSettingsSchema });

export const CannedResponseInputSchema = z
  .object({
    shortcut: z
      .string()
      .trim()
      .min(1, 'shortcut is required')
      .max(32)
      .regex(/^[\w-]+$/, 'shortcut may use letters, digits, - and _ only'),
    text: z.string().trim().min(1, 'text is required').max(4096),
    /** Quick-reply buttons (1–3, as in an interactive message): inserting it sends `text` as their body. */
    buttons: ReplyButtonsSchema.optional(),
  })
  .refine((c) => !c.buttons || [...c.text].length <= QUICK_REPLY_LIMITS.buttonsBody, {
    path: ['text'],
    message: `with buttons, text is their body: at most ${QUICK_REPLY_LIMITS.buttonsBody} characters`,
  });
export type CannedResponseInput = z.infer<typeof CannedResponseInputSchema>;
export const CannedResponseSchema = z.object({ id: z.string(), shortcut: z.string(), text: z.string(), buttons: ReplyButtonsSchema.optional() });
export type CannedResponse = z.infer<typeof CannedResponseSchema>;
export const CannedResponseListSchema = listOf(CannedResponseSchema);
export const CannedResponseResponseSchema = z.object({ canned_response: CannedResponseSchema });

const waDigits = z
  .string()
  .trim()
  .regex(/^\d{1,32}$/, 'must be digits (the id shown in Meta’s WhatsApp Manager)');
/** A new access token, or null to fall back to WHATSAPP_ACCESS_TOKEN; omitted = keep the stored one. */
const tokenInput = z.string().trim().min(20, 'the access token looks too short').max(4096).nullable();

export const NumberCreateSchema = z.object({
  phone_number_id: waDigits,
  waba_id: waDigits.nullable().optional(),
  display_phone_number: z.string().trim().max(32).nullable().optional(),
  access_token: tokenInput.optional(),
  target_phone: phoneAsWaId.nullable().optional(),
  is_default: z.boolean().optional(),
});
export type NumberCreate = z.infer<typeof NumberCreateSchema>;
export const NumberUpdateSchema = NumberCreateSchema.omit({ phone_number_id: true }).refine(
  (p) => Object.values(p).some((v) => v !== undefined),
  'nothing to change',
);
export type NumberUpdate = z.infer<typeof NumberUpdateSchema>;
/** What the admin app sends to create or change a number (the body before validation). */
export type NumberInput = z.input<typeof NumberUpdateSchema> & { phone_number_id?: string };

/** A number as the admin app sees it: whether it has a token, never the token. */
export const WhatsAppNumberJsonSchema = z
  .object({
    id: z.string(),
    phone_number_id: z.string(),
    waba_id: z.string().nullable(),
    display_phone_number: z.string().nullable(),
    verified_name: z.string().nullable(),
    has_token: z.boolean(),
    target_phone: z.string().nullable(),
    quality_rating: z.string().nullable(),
    messaging_tier: z.string().nullable(),
    /** Meta's throughput level (STANDARD, HIGH after a THROUGHPUT_UPGRADE); not the messaging tier. */
    throughput_level: z.string().nullable(),
    /** Why sends from this number are paused (an expired or invalid token); null when they are not. */
    token_problem: z.object({ code: z.string(), detail: z.string().nullable(), at: z.string() }).nullable(),
    is_default: z.boolean(),
    updated_at: z.string(),
  })
  .meta({ id: 'WhatsAppNumber' });
export type WhatsAppNumberJson = z.infer<typeof WhatsAppNumberJsonSchema>;
export const WhatsAppNumberListSchema = listOf(WhatsAppNumberJsonSchema);
export const WhatsAppNumberResponseSchema = z.object({ number: WhatsAppNumberJsonSchema });

/** `GET /admin/api/settings/whatsapp-connect`: what to paste into Meta's dashboard. */
export const ConnectInfoSchema = z.object({
  webhook_url: z.string(),
  verify_token: z.string(),
  webhook_fields: z.array(z.string()),
  verified_at: z.string().nullable(),
  app_secret_set: z.boolean(),
  mode: z.enum(['live', 'sandbox']),
  api_version: z.string(),
  env_target_phone: z.string().nullable(),
});
export type ConnectInfo = z.infer<typeof ConnectInfoSchema>;

/** `GET|PATCH /me/preferences`, `GET|PUT /settings/notifications` carry whether SMTP is set up. */
export const NotificationSettingsResponseSchema = z.object({ settings: NotificationSettingsSchema, email_configured: z.boolean() });

export const OwnerForwardingResponseSchema = z.object({ settings: OwnerForwardingSchema, timezone: z.string() });

export const SatisfactionSettingsResponseSchema = z.object({ settings: SatisfactionSettingsSchema });
export const WhatsAppRatesResponseSchema = z.object({ rates: WhatsAppRatesSchema });

export type WidgetSettingsResponse = z.infer<typeof WidgetSettingsResponseSchema>;
export type CannedResponseList = z.infer<typeof CannedResponseListSchema>;
export type CannedResponseResponse = z.infer<typeof CannedResponseResponseSchema>;
export type WhatsAppNumberList = z.infer<typeof WhatsAppNumberListSchema>;
export type WhatsAppNumberResponse = z.infer<typeof WhatsAppNumberResponseSchema>;
export type NotificationSettingsResponse = z.infer<typeof NotificationSettingsResponseSchema>;
export type OwnerForwardingResponse = z.infer<typeof OwnerForwardingResponseSchema>;
export type SatisfactionSettingsResponse = z.infer<typeof SatisfactionSettingsResponseSchema>;
export type WhatsAppRatesResponse = z.infer<typeof WhatsAppRatesResponseSchema>;
