/**
 * The Reports API (`GET /admin/api/reports/...`): the period and filters every report takes, and
 * the JSON each one answers. Days are calendar days in the chosen IANA time zone; durations are
 * milliseconds; median and p90 are nearest-rank percentiles (always a real, observed duration).
 */
import { z } from 'zod';
import { ChannelSchema } from './api.ts';

import { REPORT_MAX_DAYS } from './report-constants.ts';

export { REPORT_MAX_DAYS };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31');

/** Whether `tz` is an IANA time zone this runtime knows (Europe/Lisbon, America/New_York, UTC...). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Day number since 1970-01-01 of a YYYY-MM-DD date, or NaN when it is not a real date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / 86_400_000 : Number.NaN;
}

export const ReportQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    tz: z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Lisbon or UTC'),
    channel: z.enum(['web', 'whatsapp']).optional(),
    agent_id: z.string().min(1).max(32).optional(),
  })
  .superRefine((q, ctx) => {
    const from = dayNumber(q.from);
    const to = dayNumber(q.to);
    if (Number.isNaN(from)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is not a calendar date' });
    if (Number.isNaN(to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is not a calendar date' });
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (to - from + 1 > REPORT_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `a report covers at most ${REPORT_MAX_DAYS} days` });
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

export const CommentsQuerySchema = z
  .object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) })
  .and(ReportQuerySchema);

export const ReportPeriodJsonSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    tz: z.string(),
    /** The first and the last instant covered: local midnight of `from` to local midnight after `to`. */
    start: z.string(),
    end: z.string(),
    days: z.array(z.string()),
  })
  .meta({ id: 'ReportPeriod' });
export type ReportPeriodJson = z.infer<typeof ReportPeriodJsonSchema>;

export const ReportFiltersJsonSchema = z.object({ channel: ChannelSchema.nullable(), agent_id: z.string().nullable() }).meta({ id: 'ReportFilters' });
export type ReportFiltersJson = z.infer<typeof ReportFiltersJsonSchema>;

const ReportBase = z.object({ period: ReportPeriodJsonSchema, filters: ReportFiltersJsonSchema });

export const VolumeCountsSchema = z
  .object({
    /** Conversations that started, or came back after being resolved (`reopened` of them). */
    conversations_opened: z.number(),
    conversations_reopened: z.number(),
    conversations_resolved: z.number(),
    /** From visitors and WhatsApp customers. */
    messages_in: z.number(),
    /** From agents in the admin app (notes excluded). */
    messages_out: z.number(),
    /** Replies the owner sent from their phone. */
    messages_from_owner_phone: z.number(),
  })
  .meta({ id: 'VolumeCounts' });
export type VolumeCounts = z.infer<typeof VolumeCountsSchema>;

const byChannel = <T extends z.ZodType>(s: T) => z.object({ web: s, whatsapp: s });

export const VolumeReportJsonSchema = ReportBase.extend({
  totals: VolumeCountsSchema,
  by_channel: byChannel(VolumeCountsSchema),
  daily: z.array(z.object({ date: z.string(), web: VolumeCountsSchema, whatsapp: VolumeCountsSchema })),
});
export type VolumeReportJson = z.infer<typeof VolumeReportJsonSchema>;

export const DurationStatsJsonSchema = z
  .object({
    count: z.number(),
    median_ms: z.number().nullable(),
    p90_ms: z.number().nullable(),
  })
  .meta({ id: 'DurationStats' });
export type DurationStatsJson = z.infer<typeof DurationStatsJsonSchema>;

const DurationsByChannel = DurationStatsJsonSchema.extend({ by_channel: byChannel(DurationStatsJsonSchema) });

export const ResponseTimesReportJsonSchema = ReportBase.extend({
  /** Business hours from Settings → Widget: when on, only time within them counts. */
  business_hours: z.object({ enabled: z.boolean(), timezone: z.string() }),
  /** Of conversations first answered in the period: from opening to the first agent or owner reply. */
  first_response: DurationsByChannel,
  /** Of conversations resolved in the period: from opening to resolution. */
  resolution: DurationsByChannel,
});
export type ResponseTimesReportJson = z.infer<typeof ResponseTimesReportJsonSchema>;

export const AgentFiguresJsonSchema = z.object({
  agent_id: z.string(),
  name: z.string().nullable(),
  conversations_opened: z.number(),
  conversations_resolved: z.number(),
  messages_out: z.number(),
  first_response: DurationStatsJsonSchema,
  resolution: DurationStatsJsonSchema,
  satisfaction: z.object({ responses: z.number(), average: z.number().nullable() }),
});
export type AgentFiguresJson = z.infer<typeof AgentFiguresJsonSchema>;

export const AgentsReportJsonSchema = ReportBase.extend({ data: z.array(AgentFiguresJsonSchema) });
export type AgentsReportJson = z.infer<typeof AgentsReportJsonSchema>;

/**
 * Outbound WhatsApp messages (agents' replies and templates, surveys) sent in the period, by how
 * far they got: `sent` counts every message WhatsApp accepted (delivered and read ones too),
 * `delivered` includes read ones; `failed` and `queued` (not accepted yet) are apart.
 */
export const DeliveryCountsSchema = z
  .object({
    total: z.number(),
    queued: z.number(),
    sent: z.number(),
    delivered: z.number(),
    read: z.number(),
    failed: z.number(),
  })
  .meta({ id: 'DeliveryCounts' });
export type DeliveryCounts = z.infer<typeof DeliveryCountsSchema>;

export const FailureJsonSchema = z.object({ code: z.string(), title: z.string(), explanation: z.string(), count: z.number() }).meta({ id: 'Failure' });
export type FailureJson = z.infer<typeof FailureJsonSchema>;

export const CostLineJsonSchema = z.object({
  /** The recipient's country calling code ("44"), or null when WhatsApp did not say. */
  country: z.string().nullable(),
  category: z.string(),
  messages: z.number(),
  /** Price per message from Settings → Reports, or null when no rate is set for it. */
  rate: z.number().nullable(),
  cost: z.number().nullable(),
});
export type CostLineJson = z.infer<typeof CostLineJsonSchema>;

export const WhatsAppReportJsonSchema = ReportBase.extend({
  messages: DeliveryCountsSchema,
  failures: z.array(FailureJsonSchema),
  templates: z.array(z.object({ category: z.string(), count: z.number() })),
  /** Billable messages (Meta's pricing objects) priced with the configured rates. */
  cost: z.object({ currency: z.string(), total: z.number(), lines: z.array(CostLineJsonSchema), unpriced_messages: z.number() }),
  daily: z.array(DeliveryCountsSchema.extend({ date: z.string() })),
});
export type WhatsAppReportJson = z.infer<typeof WhatsAppReportJsonSchema>;

export const OwnerPhoneReportJsonSchema = ReportBase.extend({
  /** Visitor messages forwarded to the owner's phone. */
  forwards: DeliveryCountsSchema,
  failures: z.array(FailureJsonSchema),
  /** Replies the owner sent from the phone. */
  replies: z.number(),
  /** From a forwarded visitor message to the owner's first reply to it. */
  time_to_answer: DurationStatsJsonSchema,
  daily: z.array(z.object({ date: z.string(), forwards: z.number(), replies: z.number() })),
});
export type OwnerPhoneReportJson = z.infer<typeof OwnerPhoneReportJsonSchema>;

export const SatisfactionReportJsonSchema = ReportBase.extend({
  asked: z.number(),
  responses: z.number(),
  /** responses / asked, 0–1; null when nobody was asked. */
  response_rate: z.number().nullable(),
  average: z.number().nullable(),
  distribution: z.object({ '1': z.number(), '2': z.number(), '3': z.number(), '4': z.number(), '5': z.number() }),
  daily: z.array(z.object({ date: z.string(), asked: z.number(), responses: z.number(), average: z.number().nullable() })),
});
export type SatisfactionReportJson = z.infer<typeof SatisfactionReportJsonSchema>;

export const SurveyCommentJsonSchema = z.object({
  survey_id: z.string(),
  conversation_id: z.string(),
  channel: ChannelSchema,
  agent_id: z.string().nullable(),
  rating: z.number(),
  comment: z.string(),
  answered_at: z.string(),
});
export type SurveyCommentJson = z.infer<typeof SurveyCommentJsonSchema>;

/** What the reports page lists for its agent filter (admins: everyone; agents: themselves). */
export const ReportAgentJsonSchema = z.object({ id: z.string(), name: z.string() });
export type ReportAgentJson = z.infer<typeof ReportAgentJsonSchema>;
