/**
 * The public routes: health, visitors over plain HTTP (`/api/messages`, `/api/surveys`), the
 * widget's settings, and Meta's webhook handshake.
 */
import { z } from 'zod';
import { MessageJsonSchema } from '../api.ts';
import { SurveyJsonSchema } from '../satisfaction.ts';
import { clientId } from './fields.ts';
import { pageOf } from './common.ts';

export { VisitorMessageBodySchema, type VisitorMessageBody } from '../api.ts';
export { PublicSurveyAnswerSchema, type PublicSurveyAnswer } from '../satisfaction.ts';
export { WidgetConfigJsonSchema, type WidgetConfigJson } from '../widget-settings.ts';

/** `GET /healthz`: 200 once the database is migrated and the server ready, else 503. */
export const HealthJsonSchema = z.object({ ok: z.boolean(), db: z.boolean(), mode: z.enum(['live', 'sandbox']), version: z.string() });
export type HealthJson = z.infer<typeof HealthJsonSchema>;

/** `POST /api/messages` → 201 (200 when the same `client_id` was stored already). */
export const VisitorMessageResponseSchema = z.object({
  conversation_id: z.string(),
  message_id: z.string(),
  visitor_token: z.string(),
  message: MessageJsonSchema,
});
export type VisitorMessageResponse = z.infer<typeof VisitorMessageResponseSchema>;

export const VisitorTokenQuerySchema = z.object({ visitor_token: z.string().min(1, 'visitor_token is required') });

/** `GET /api/messages?visitor_token=`: that visitor's conversation, oldest first. */
export const VisitorHistorySchema = pageOf(MessageJsonSchema);

/** `POST /api/messages/attachments`: multipart fields besides `file`. */
export const VisitorAttachmentFieldsSchema = z.object({
  visitor_token: z.string({ error: 'visitor_token is required' }).min(1, 'visitor_token is required').max(128),
  client_id: clientId.optional(),
  caption: z.string().max(1024, 'caption must be at most 1024 characters').optional(),
});
export const VisitorAttachmentFormSchema = VisitorAttachmentFieldsSchema.extend({ file: z.string().meta({ format: 'binary' }) });

export const MessageEnvelopeSchema = z.object({ message: MessageJsonSchema });

/** `GET /api/surveys/current`: the survey waiting for this visitor's answer, or null. */
export const CurrentSurveyResponseSchema = z.object({ survey: SurveyJsonSchema.nullable() });
export const SurveyResponseSchema = z.object({ survey: SurveyJsonSchema });

/** `GET /api/whatsapp/webhook`: Meta's verification handshake. */
export const WebhookVerifyQuerySchema = z.object({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().max(256).optional(),
});

/** `GET /api/media/:id?exp=&sig=`: a signed, expiring link to a file of the visitor's conversation. */
export const SignedMediaQuerySchema = z.object({ exp: z.string(), sig: z.string() });

export type VisitorTokenQuery = z.infer<typeof VisitorTokenQuerySchema>;
export type VisitorHistory = z.infer<typeof VisitorHistorySchema>;
export type VisitorAttachmentFields = z.infer<typeof VisitorAttachmentFieldsSchema>;
export type VisitorAttachmentForm = z.infer<typeof VisitorAttachmentFormSchema>;
export type MessageEnvelope = z.infer<typeof MessageEnvelopeSchema>;
export type CurrentSurveyResponse = z.infer<typeof CurrentSurveyResponseSchema>;
export type SurveyResponse = z.infer<typeof SurveyResponseSchema>;
export type WebhookVerifyQuery = z.infer<typeof WebhookVerifyQuerySchema>;
export type SignedMediaQuery = z.infer<typeof SignedMediaQuerySchema>;
