/**
 * The satisfaction survey ("How did we do?", 1–5 and an optional comment) asked once per
 * resolution, its settings, and the WhatsApp rates the reports price Meta's pricing objects with.
 */
import { z } from 'zod';
import { PRICING_CATEGORIES } from './report-constants.ts';

export { PRICING_CATEGORIES, RATING_LABELS } from './report-constants.ts';

/** A survey can be answered for this long after it was asked (the WhatsApp customer window). */
export const SURVEY_TTL_MS = 24 * 60 * 60 * 1000;
export const SURVEY_COMMENT_MAX = 1000;

export const SatisfactionSettingsSchema = z.object({
  /** Ask "How did we do?" when an agent resolves a conversation (on by default). */
  enabled: z.boolean().default(true),
});
export type SatisfactionSettings = z.infer<typeof SatisfactionSettingsSchema>;

export const SurveyAnswerSchema = z.object({
  rating: z.number().int().min(1, 'rating must be 1 to 5').max(5, 'rating must be 1 to 5'),
  comment: z.string().trim().max(SURVEY_COMMENT_MAX, `comment must be at most ${SURVEY_COMMENT_MAX} characters`).optional().nullable(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswerSchema>;

/** `POST /api/surveys/:id/answer` (visitors over plain HTTP). */
export const PublicSurveyAnswerSchema = SurveyAnswerSchema.extend({ visitor_token: z.string().min(16).max(128) });
export type PublicSurveyAnswer = z.infer<typeof PublicSurveyAnswerSchema>;

export const SurveyJsonSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    status: z.enum(['asked', 'answered', 'expired']),
    asked_at: z.string(),
    expires_at: z.string(),
    rating: z.number().nullable(),
    comment: z.string().nullable(),
    answered_at: z.string().nullable(),
  })
  .meta({ id: 'Survey' });
export type SurveyJson = z.infer<typeof SurveyJsonSchema>;

const callingCode = z.string().regex(/^(\*|[1-9]\d{0,3})$/, 'country must be a calling code like 44 (digits only), or * for every other country');

export const WhatsAppRateSchema = z.object({
  country: callingCode,
  category: z.enum(PRICING_CATEGORIES),
  /** Price of one billable message, in `currency`. */
  price: z.number().min(0).max(100),
});

export const WhatsAppRatesSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'currency must be a three-letter code like USD')
      .default('USD'),
    rates: z.array(WhatsAppRateSchema).max(1000).default([]),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.rates.forEach((rate, i) => {
      const key = `${rate.country}:${rate.category}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['rates', i], message: `two rates for ${rate.country} ${rate.category}` });
      seen.add(key);
    });
  });
export type WhatsAppRates = z.infer<typeof WhatsAppRatesSchema>;
