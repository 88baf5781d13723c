/** The agent's day over REST: unread counts, presence, preferences (`/admin/api/unread`, `/presence`, `/me/…`). */
import { z } from 'zod';
import { AgentPreferencesSchema, AgentPresenceJsonSchema, PresenceStatusSchema, UnreadCountsJsonSchema } from '../agent-day.ts';
import { listOf } from './common.ts';

export const UnreadResponseSchema = z.object({ unread: UnreadCountsJsonSchema });
export const PresenceListSchema = listOf(AgentPresenceJsonSchema);
export const StatusResponseSchema = z.object({ status: PresenceStatusSchema });
/** `GET|PATCH /admin/api/me/preferences`: with whether SMTP is set up (e-mail can be sent at all). */
export const PreferencesResponseSchema = z.object({ preferences: AgentPreferencesSchema, email_configured: z.boolean() });

export type UnreadResponse = z.infer<typeof UnreadResponseSchema>;
export type PresenceList = z.infer<typeof PresenceListSchema>;
export type StatusResponse = z.infer<typeof StatusResponseSchema>;
export type PreferencesResponse = z.infer<typeof PreferencesResponseSchema>;
