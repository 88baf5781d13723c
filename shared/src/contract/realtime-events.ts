/**
 * Every socket.io event payload of both namespaces, as zod schemas: what clients send is validated
 * with these on the server (`validateEvent`), and realtime.ts builds the typed event maps from them.
 * The field rules are the HTTP ones (fields.ts), so a value refused over HTTP is refused here too.
 */
import { z } from 'zod';
import { ConversationJsonSchema, MessageErrorJsonSchema, MessageJsonSchema, MessageStatusSchema } from '../api.ts';
import { AgentPresenceJsonSchema, UnreadCountsJsonSchema } from '../agent-day.ts';
import { SurveyAnswerSchema, SurveyJsonSchema } from '../satisfaction.ts';
import { clientId, entityId, messageText, pageUrl, phoneNumber, reactionEmoji, visitorEmail, visitorName } from './fields.ts';
import { QuickReplyChoiceSchema } from './quick-replies.ts';

// ---- /visitor: the widget → the server -------------------------------------------------------

/**
 * `message:send`: acknowledged with the stored message once it is on disk. Either `text`, or a
 * `choice` — the quick reply (button or list row `id`) the visitor tapped under agent message
 * `message_id`; it is stored with the option's title as its text.
 */
export const VisitorSendSchema = z
  .object({
    text: messageText.optional(),
    choice: QuickReplyChoiceSchema.optional(),
    client_id: clientId,
    name: visitorName.optional(),
    email: visitorEmail.optional(),
    phone: phoneNumber.optional(),
    whatsapp_consent: z.boolean().optional(),
    page_url: pageUrl.optional(),
  })
  .refine((p) => (p.text === undefined) !== (p.choice === undefined), 'send either text or a choice');
export type VisitorSend = z.infer<typeof VisitorSendSchema>;
export const VisitorSendAckSchema = z.object({ message: MessageJsonSchema });

export const VisitorTypingSchema = z.object({ on: z.boolean() });
export const VisitorReadSchema = z.object({ up_to: entityId });

/**
 * `reaction`: the visitor reacts to an agent's message of their conversation (`emoji: ""` takes it
 * back); acknowledged with the message as it now is (its `reactions`).
 */
export const VisitorReactionSchema = z.object({ message_id: entityId, emoji: reactionEmoji });
export type VisitorReaction = z.infer<typeof VisitorReactionSchema>;
export const VisitorReactionAckSchema = z.object({ message: MessageJsonSchema });

/** `history`: any object (no fields are read). */
export const HistoryRequestSchema = z.object({}).catchall(z.unknown());
export const HistoryAckSchema = z.object({ messages: z.array(MessageJsonSchema) });

/** `identify`: who the visitor says they are; checked before a new visitor's contact is created. */
export const VisitorIdentifySchema = z.object({
  name: visitorName.optional(),
  email: visitorEmail.optional(),
  phone: phoneNumber.optional(),
  whatsapp_consent: z.boolean().optional(),
});
export type VisitorIdentify = z.infer<typeof VisitorIdentifySchema>;
/** `identify` acks with nothing besides `ok: true`. */
export const IdentifyAckSchema = z.looseObject({});

/** `survey:answer`: refused with `survey_answered` or `survey_expired` once it cannot count. */
export const SurveyAnswerEventSchema = SurveyAnswerSchema.extend({ survey_id: z.string().min(1).max(32) });
export type SurveyAnswerEvent = z.infer<typeof SurveyAnswerEventSchema>;
export const SurveyAnswerAckSchema = z.object({ survey: SurveyJsonSchema });

// ---- /visitor: the server → the widget -------------------------------------------------------

export const VisitorSessionEventSchema = z.object({ visitor_token: z.string() });
export const VisitorMessageNewEventSchema = z.object({ message: MessageJsonSchema });
export const VisitorMessageStatusEventSchema = z.object({ id: z.string(), status: MessageStatusSchema });
export const VisitorTypingEventSchema = z.object({ on: z.boolean() });
/** Whether at least one agent is online now (sent at connect and whenever it changes). */
export const VisitorPresenceEventSchema = z.object({ online: z.boolean() });
/** "How did we do?": sent when an agent resolves the chat, and again on connect while it can be answered. */
export const SurveyAskEventSchema = z.object({ survey: SurveyJsonSchema });

// ---- /admin: the admin app → the server ------------------------------------------------------

export const AdminTypingSchema = z.object({ conversation_id: entityId, on: z.boolean() });
/** This tab saw no keyboard or mouse for the agent's away_after_minutes (true), or activity again (false). */
export const AdminIdleSchema = z.object({ idle: z.boolean() });

// ---- /admin: the server → the admin app ------------------------------------------------------

export const AdminMessageNewEventSchema = z.object({ message: MessageJsonSchema, conversation: ConversationJsonSchema });
export const AdminMessageStatusEventSchema = z.object({ id: z.string(), status: MessageStatusSchema, error: MessageErrorJsonSchema.nullable() });
export const ConversationUpdateEventSchema = z.object({ conversation: ConversationJsonSchema });
export const AdminTypingEventSchema = z.object({ conversation_id: z.string(), on: z.boolean() });
/** This agent's unread counts (to this agent only): at connect and after every change. */
export const UnreadEventSchema = UnreadCountsJsonSchema;
/** Every agent's presence: at connect and after every change. */
export const AgentPresenceEventSchema = z.object({ agents: z.array(AgentPresenceJsonSchema) });

/** The payload schema of every event, per namespace and direction (realtime.ts types the maps from these). */
export const VISITOR_CLIENT_EVENTS = {
  'message:send': VisitorSendSchema,
  typing: VisitorTypingSchema,
  read: VisitorReadSchema,
  history: HistoryRequestSchema,
  identify: VisitorIdentifySchema,
  'survey:answer': SurveyAnswerEventSchema,
  reaction: VisitorReactionSchema,
} as const;

export const VISITOR_SERVER_EVENTS = {
  session: VisitorSessionEventSchema,
  'message:new': VisitorMessageNewEventSchema,
  'message:status': VisitorMessageStatusEventSchema,
  typing: VisitorTypingEventSchema,
  presence: VisitorPresenceEventSchema,
  'survey:ask': SurveyAskEventSchema,
} as const;

export const ADMIN_CLIENT_EVENTS = {
  typing: AdminTypingSchema,
  idle: AdminIdleSchema,
} as const;

export const ADMIN_SERVER_EVENTS = {
  'message:new': AdminMessageNewEventSchema,
  'message:status': AdminMessageStatusEventSchema,
  'conversation:update': ConversationUpdateEventSchema,
  typing: AdminTypingEventSchema,
  unread: UnreadEventSchema,
  presence: AgentPresenceEventSchema,
} as const;

/** The acks' success payloads (besides `ok: true`) of the events that are acknowledged. */
export const VISITOR_ACKS = {
  'message:send': VisitorSendAckSchema,
  history: HistoryAckSchema,
  identify: IdentifyAckSchema,
  'survey:answer': SurveyAnswerAckSchema,
  reaction: VisitorReactionAckSchema,
} as const;
