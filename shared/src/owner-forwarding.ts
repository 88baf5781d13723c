/**
 * How visitor messages reach the owner's own WhatsApp (Settings → WhatsApp), and what the admin
 * app shows of it: the log of what was sent to the owner's phone and the state of the queue.
 */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM (24-hour)');

/**
 * `every`: every visitor message (merged while one waits, digests when the budget is short);
 * `first`: the first message of each conversation (until someone answers it), later ones in
 * digests every `digest_minutes`; `offline`: only while no agent is signed in to the admin app.
 */
export const OWNER_POLICIES = ['every', 'first', 'offline'] as const;
export type OwnerPolicy = (typeof OWNER_POLICIES)[number];

export const QuietHoursSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** In the site's time zone (Settings → Widget → business hours). */
    start: hhmm.default('22:00'),
    end: hhmm.default('07:00'),
  })
  .strict()
  .refine((q) => q.start !== q.end, { message: 'quiet hours must start and end at different times', path: ['end'] });

export const OwnerForwardingSchema = z
  .object({
    policy: z.enum(OWNER_POLICIES, { message: `policy must be one of ${OWNER_POLICIES.join(', ')}` }).default('every'),
    quiet_hours: QuietHoursSchema.default({ enabled: false, start: '22:00', end: '07:00' }),
    /** Policy `first`: how often the later messages arrive as one digest. */
    digest_minutes: z.number().int().min(1).max(1440).default(15),
  })
  .strict()
  .meta({ id: 'OwnerForwarding' });
export type OwnerForwarding = z.infer<typeof OwnerForwardingSchema>;
export type QuietHours = z.infer<typeof QuietHoursSchema>;

/** One conversation in a message to the owner: numbered in digests and lists, `n` null in a single forward. */
export const OwnerLineJsonSchema = z.object({
  n: z.number().nullable(),
  conversation_id: z.string(),
  name: z.string(),
  site: z.string(),
  /** Visitor messages this line stands for. */
  messages: z.number(),
});
export type OwnerLineJson = z.infer<typeof OwnerLineJsonSchema>;

export const OwnerMessageKindSchema = z.enum(['forward', 'digest', 'list', 'notice']);
export type OwnerMessageKind = z.infer<typeof OwnerMessageKindSchema>;

/** A message ConnectDesk sent (or is about to send) to the owner's phone. */
export const OwnerMessageJsonSchema = z
  .object({
    id: z.string(),
    kind: OwnerMessageKindSchema,
    status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed']),
    /** Sent as a template (the owner's own 24-hour window was closed). */
    via_template: z.boolean(),
    /** What the owner's phone shows. */
    text: z.string(),
    lines: z.array(OwnerLineJsonSchema),
    error: z.object({ code: z.string(), title: z.string() }).nullable(),
    created_at: z.string(),
    sent_at: z.string().nullable(),
  })
  .meta({ id: 'OwnerMessage' });
export type OwnerMessageJson = z.infer<typeof OwnerMessageJsonSchema>;

export const OwnerForwardingStatusJsonSchema = z.object({
  /** The owner's phone (digits), or null when none is set. */
  owner: z.string().nullable(),
  /** The site's time zone, in which quiet hours are read. */
  timezone: z.string(),
  waiting: z.object({ conversations: z.number(), messages: z.number() }),
  /** Messages to the owner's phone composed and not yet accepted by WhatsApp. */
  sending: z.number(),
  muted_until: z.string().nullable(),
  quiet_now: z.boolean(),
  /** The owner wrote to the business in the last 24 hours: free-form forwards, else templates. */
  window_open: z.boolean(),
  /** ConnectDesk's own account of Meta's pair rate to the owner. */
  budget: z.object({ available: z.number(), burst: z.number(), interval_ms: z.number() }),
  /** Times Meta answered 131056 anyway (the budget is then corrected), and the last one. */
  pair_limit_hits: z.number(),
  last_pair_limit_at: z.string().nullable(),
});
export type OwnerForwardingStatusJson = z.infer<typeof OwnerForwardingStatusJsonSchema>;
