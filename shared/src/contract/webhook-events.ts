/** Stored webhook deliveries, for admins: `/admin/api/whatsapp/webhook-events…`. */
import { z } from 'zod';

export const WebhookEventStatusSchema = z.enum(['pending', 'processing', 'done', 'failed']);

export const WebhookEventListQuerySchema = z.object({
  status: WebhookEventStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const WebhookEventJsonSchema = z.object({
  id: z.string(),
  status: z.string(),
  attempts: z.number(),
  error: z.string().nullable(),
  received_at: z.string().nullable(),
  processed_at: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
});
export type WebhookEventJson = z.infer<typeof WebhookEventJsonSchema>;

export const WebhookEventListSchema = z.object({
  counts: z.record(z.string(), z.number()),
  data: z.array(WebhookEventJsonSchema),
});

/** One delivery with its raw body, exactly as Meta sent it. */
export const WebhookEventDetailSchema = z.object({
  id: z.string(),
  status: z.string(),
  attempts: z.number(),
  error: z.string().nullable(),
  received_at: z.string().nullable(),
  body: z.string(),
});

export type WebhookEventStatus = z.infer<typeof WebhookEventStatusSchema>;
export type WebhookEventListQuery = z.infer<typeof WebhookEventListQuerySchema>;
export type WebhookEventList = z.infer<typeof WebhookEventListSchema>;
export type WebhookEventDetail = z.infer<typeof WebhookEventDetailSchema>;
