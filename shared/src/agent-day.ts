/**
 * What an agent's working day needs besides the inbox itself: unread counts the server computes per
 * agent, presence (online / away / offline), per-agent notification preferences and the team's
 * "unanswered" e-mail threshold, and what the widget tells the server about its visitor at connect.
 */
import { z } from 'zod';

/**
 * Unread, for one agent: open conversations with messages no agent has read yet that are assigned
 * to this agent (`mine`) or to nobody (`unassigned`). `conversations` = mine + unassigned;
 * `messages` = their unread messages. Conversations assigned to someone else never count, and no
 * list filter or search changes these numbers.
 */
export const UnreadCountsJsonSchema = z
  .object({
    conversations: z.number(),
    messages: z.number(),
    mine: z.number(),
    unassigned: z.number(),
  })
  .meta({ id: 'UnreadCounts' });
export type UnreadCountsJson = z.infer<typeof UnreadCountsJsonSchema>;

/** online: a tab open and active; away: set by hand, or every tab idle; offline: no tab open. */
export const PresenceStatusSchema = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

export const AgentPresenceJsonSchema = z.object({ id: z.string(), name: z.string(), status: PresenceStatusSchema }).meta({ id: 'AgentPresence' });
export type AgentPresenceJson = z.infer<typeof AgentPresenceJsonSchema>;

export const AgentPreferencesSchema = z
  .object({
    /** Desktop notifications (the browser asks for permission when the agent turns this on). */
    desktop: z.boolean(),
    /** A short sound with each notification. */
    sound: z.boolean(),
    /** E-mail about conversations nobody answered in time. */
    email: z.boolean(),
    /** Minutes without keyboard or mouse in the admin app before the agent shows as away (0 = never). */
    away_after_minutes: z.number().int().min(0).max(240),
  })
  .meta({ id: 'AgentPreferences' });
export type AgentPreferences = z.infer<typeof AgentPreferencesSchema>;

export const DEFAULT_AGENT_PREFERENCES: AgentPreferences = { desktop: false, sound: false, email: false, away_after_minutes: 10 };

export const AgentPreferencesPatchSchema = AgentPreferencesSchema.partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change: send desktop, sound, email and/or away_after_minutes');
export type AgentPreferencesPatch = z.infer<typeof AgentPreferencesPatchSchema>;

export const AgentStatusBodySchema = z.object({ status: z.enum(['online', 'away']) }).strict();

/** Minutes a customer may wait for an answer before opted-in agents get an e-mail (0.1 = 6 s). */
const unansweredAfterMinutes = z
  .number()
  .min(0.1, 'unanswered_after_minutes must be at least 0.1')
  .max(1440, 'unanswered_after_minutes must be at most 1440 (a day)');

/** The team's notification settings, as stored (admin → Settings → Notifications). */
export const NotificationSettingsSchema = z.object({ unanswered_after_minutes: unansweredAfterMinutes.default(10) });
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

/** `PUT /admin/api/settings/notifications`. */
export const NotificationSettingsBodySchema = z.object({ unanswered_after_minutes: unansweredAfterMinutes }).strict();

/** IANA zone names ("Europe/London", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"). */
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;
/** BCP 47 language tags as browsers report them ("en", "pt-BR", "zh-Hant-TW"). */
const LANGUAGE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

/**
 * What the widget says about its visitor in the `/visitor` handshake (`auth`), besides the token.
 * Each field is optional; a present one must be well-formed or the handshake is refused.
 */
export const VisitorClientInfoSchema = z.object({
  page_url: z
    .string()
    .max(2048, 'page_url must be at most 2048 characters')
    .refine((u) => /^https?:\/\//i.test(u), 'page_url must be an http(s) URL')
    .optional(),
  language: z.string().max(35, 'language must be at most 35 characters').regex(LANGUAGE, 'language must be a language tag like en-GB').optional(),
  time_zone: z.string().max(64, 'time_zone must be at most 64 characters').regex(TIME_ZONE, 'time_zone must be an IANA zone like Europe/London').optional(),
});
export type VisitorClientInfo = z.infer<typeof VisitorClientInfoSchema>;
