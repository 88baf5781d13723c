/**
 * The chat's wire JSON (conversations, contacts, messages, templates, the checklist) and the bodies
 * of the public contract (DESIGN.md). Each schema comes with its inferred type (`FooSchema` / `Foo`).
 */
import { z } from 'zod';
import { clientId, entityId, messageText, pageUrl, phoneNumber, reactionEmoji, visitorEmail, visitorName, visitorToken } from './contract/fields.ts';
import { SharedLocationSchema } from './contract/location.ts';
import { InteractiveMessageSendSchema, InteractiveReplyJsonSchema } from './contract/quick-replies.ts';

export { MAX_TEXT } from './contract/fields.ts';

/** `POST /api/messages`: a visitor message over plain HTTP. */
export const VisitorMessageBodySchema = z.object({
  text: messageText,
  name: visitorName.optional().nullable(),
  email: visitorEmail.optional().nullable(),
  phone: phoneNumber.optional().nullable(),
  whatsapp_consent: z.boolean().optional(),
  visitor_token: visitorToken.optional().nullable(),
  client_id: clientId.optional(),
  page_url: pageUrl.optional().nullable(),
});
export type VisitorMessageBody = z.infer<typeof VisitorMessageBodySchema>;

export const SessionBodySchema = z.object({
  email: z.string().trim().min(1, 'email is required').max(254),
  password: z.string().min(1, 'password is required').max(1024),
});
export type SessionBody = z.infer<typeof SessionBodySchema>;

const templateValue = z.string().max(1024);
/** Parameters by position (`["Ana"]`, or `{ "1": "Ana" }`) or, for a NAMED template, by name (`{ "customer_name": "Ana" }`). */
const templateValues = z.union([
  z.array(templateValue).max(20),
  z.record(z.string().regex(/^([a-z_][a-z0-9_]*|\d+)$/, 'a parameter name or position'), templateValue),
]);

export const TemplateSendSchema = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  parameters: templateValues.default([]),
  header_parameters: templateValues.optional(),
  /** The header of an IMAGE, VIDEO or DOCUMENT template (an uploaded file or an https link) or of a LOCATION one. */
  header: z
    .object({
      type: z.enum(['image', 'video', 'document', 'location']),
      media_id: z.string().min(1).max(64).optional(),
      link: z.string().max(2048).optional(),
      filename: z.string().max(240).optional(),
      location: z
        .object({ latitude: z.number(), longitude: z.number(), name: z.string().max(1024).optional(), address: z.string().max(1024).optional() })
        .optional(),
    })
    .optional(),
  /** Button values by the button's index: a URL button's link suffix, a COPY_CODE button's code, a QUICK_REPLY button's payload. */
  buttons: z
    .array(z.object({ index: z.number().int().min(0).max(9), sub_type: z.enum(['quick_reply', 'url', 'copy_code']), value: z.string().max(2000) }))
    .max(10)
    .optional(),
  button_parameters: z.array(z.string().max(1024)).max(10).optional(),
});
export type TemplateSend = z.infer<typeof TemplateSendSchema>;

export const AdminSendMessageSchema = z.discriminatedUnion('message_type', [
  z.object({
    message_type: z.literal('text'),
    text: messageText,
    reply_to: z.string().max(64).optional(),
  }),
  z.object({ message_type: z.literal('template'), template: TemplateSendSchema }),
  z.object({ message_type: z.literal('note'), text: messageText }),
  z.object({
    message_type: z.literal('media'),
    media_id: z.string().min(1).max(64),
    caption: z.string().max(1024).optional(),
    reply_to: z.string().max(64).optional(),
  }),
  z.object({ message_type: z.literal('location'), location: SharedLocationSchema }),
  InteractiveMessageSendSchema,
  /** The agent reacts to a message of this conversation (WhatsApp: to its wamid); `emoji: ""` takes the reaction back. */
  z.object({ message_type: z.literal('reaction'), message_id: entityId.describe('a message of this conversation'), emoji: reactionEmoji }),
]);
export type AdminSendMessage = z.infer<typeof AdminSendMessageSchema>;

export const ChannelSchema = z.enum(['web', 'whatsapp']);
export type Channel = z.infer<typeof ChannelSchema>;
export const DirectionSchema = z.enum(['inbound', 'outbound']);
export type Direction = z.infer<typeof DirectionSchema>;
export const MessageStatusSchema = z.enum(['queued', 'sent', 'delivered', 'read', 'failed', 'received']);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

export const ContactJsonSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    wa_id: z.string().nullable(),
    user_id: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    /**
     * Is `phone` proven to be this contact's WhatsApp? Always for a WhatsApp contact; for a web
     * visitor only once that number wrote to us with the code they were shown. Nothing is sent to an
     * unverified number (`phone_unverified`).
     */
    phone_verified: z.boolean().optional(),
    phone_verified_at: z.string().nullable().optional(),
    /** Web visitors: the page they last wrote from, and their browser ("Chrome 126 on Android"). */
    page_url: z.string().nullable().optional(),
    browser: z.string().nullable().optional(),
    /** Web visitors: the browser's language ("pt-BR") and time zone ("America/Sao_Paulo"), as the widget reported them. */
    language: z.string().nullable().optional(),
    time_zone: z.string().nullable().optional(),
    /** Web visitors: a stable made-up name ("Amber Falcon") to tell anonymous visitors apart; `name` wins when given. */
    generated_name: z.string().nullable().optional(),
    /** Avatar background (`#rrggbb`), stable per contact. */
    color: z.string().optional(),
    /**
     * WhatsApp contacts: when they stopped marketing messages (Meta's `user_preferences` webhook),
     * null once they resume. MARKETING templates are refused for them (`marketing_opted_out`).
     */
    marketing_opted_out_at: z.string().nullable().optional(),
  })
  .meta({ id: 'Contact' });
export type ContactJson = z.infer<typeof ContactJsonSchema>;

export const WindowJsonSchema = z.object({ open: z.boolean(), closes_at: z.string().nullable() }).meta({ id: 'Window' });
export type WindowJson = z.infer<typeof WindowJsonSchema>;

export const ConversationJsonSchema = z
  .object({
    id: z.string(),
    channel: ChannelSchema,
    status: z.enum(['open', 'resolved']),
    contact: ContactJsonSchema,
    window: WindowJsonSchema,
    last_message_at: z.string().nullable(),
    last_message_preview: z.string().nullable(),
    unread: z.number(),
    assignee_id: z.string().nullable(),
    whatsapp_consent: z.boolean(),
    /**
     * A WhatsApp group the business is in (Groups API): its messages come from several members
     * (each message's `author_name`), and replies go to the group. Null for one-to-one chats.
     */
    group: z.object({ id: z.string() }).nullable().optional(),
    created_at: z.string(),
  })
  .meta({ id: 'Conversation' });
export type ConversationJson = z.infer<typeof ConversationJsonSchema>;

export const MessageErrorJsonSchema = z
  .object({
    code: z.string(),
    title: z.string(),
    detail: z.string().nullable(),
    explanation: z.string().optional(),
    fix: z.string().optional(),
    retryable: z.boolean().optional(),
  })
  .meta({ id: 'MessageError' });
export type MessageErrorJson = z.infer<typeof MessageErrorJsonSchema>;

export const MediaJsonSchema = z
  .object({
    id: z.string(),
    mime: z.string().nullable(),
    size: z.number().nullable(),
    filename: z.string().nullable(),
    url: z.string().nullable(),
    ready: z.boolean(),
  })
  .meta({ id: 'Media' });
export type MediaJson = z.infer<typeof MediaJsonSchema>;

export const MessageJsonSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    direction: DirectionSchema,
    sender: z.enum(['visitor', 'customer', 'agent', 'owner', 'system']),
    type: z.string(),
    text: z.string(),
    content: z.unknown(),
    wamid: z.string().nullable(),
    status: MessageStatusSchema,
    error: MessageErrorJsonSchema.nullable(),
    context: z.object({ message_id: z.string().nullable(), wamid: z.string().nullable(), text: z.string().nullable().optional() }).nullable(),
    reactions: z.array(z.object({ emoji: z.string(), from: z.string() })),
    media: MediaJsonSchema.nullable(),
    template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) }).nullable(),
    is_note: z.boolean(),
    client_id: z.string().nullable(),
    /** Who wrote it: the agent of an outbound message or note (their display name), or the member who posted in a group. */
    author_name: z.string().nullable(),
    created_at: z.string(),
    /**
     * When the customer sent it, by Meta's timestamp (inbound WhatsApp); when the Cloud API accepted
     * it (outbound); else null. A webhook can arrive long after the message was written.
     */
    sent_at: z.string().nullable(),
    edited_at: z.string().nullable(),
    deleted: z.boolean(),
    /** The quick reply (button or list row) this message picked; `context` names the message that offered it. */
    interactive_reply: InteractiveReplyJsonSchema.nullable().optional(),
  })
  .meta({ id: 'Message' });
export type MessageJson = z.infer<typeof MessageJsonSchema>;

/**
 * A web reply that was also meant for the visitor's WhatsApp (they left, and asked to continue
 * there): `queued`, or `refused` with why — `phone_unverified` until that number proved it is theirs.
 */
export const ContinuationJsonSchema = z.discriminatedUnion('status', [
  z.object({ to: z.string(), status: z.literal('queued') }),
  z.object({ to: z.string(), status: z.literal('refused'), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type ContinuationJson = z.infer<typeof ContinuationJsonSchema>;

/** `POST /admin/api/conversations/:id/messages` → 201. */
export const AgentReplyJsonSchema = z.object({ message: MessageJsonSchema, continuation: ContinuationJsonSchema.optional() });
export type AgentReplyJson = z.infer<typeof AgentReplyJsonSchema>;

/**
 * A timeline event in a thread: a message with `type: "event"`, `sender: "system"`,
 * `is_note: true` (agents only) whose `content` is this, and whose `text` tells it in words.
 */
export const TimelinePersonSchema = z.object({ id: z.string(), name: z.string() });
export type TimelinePerson = z.infer<typeof TimelinePersonSchema>;

export const TimelineEventContentSchema = z.object({
  event: z.enum(['assigned', 'unassigned', 'resolved', 'reopened']),
  /** The agent who did it (null for a change made without a signed-in agent). */
  by: TimelinePersonSchema.nullable(),
  /** For `assigned`: the agent it was assigned to. */
  assignee: TimelinePersonSchema.nullable(),
});
export type TimelineEventContent = z.infer<typeof TimelineEventContentSchema>;

/** A page of a list (`pageOf(schema)` in contract/common.ts is its schema). */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export const TemplateJsonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    language: z.string(),
    category: z.string(),
    status: z.string(),
    /** POSITIONAL (`{{1}}`) or NAMED (`{{customer_name}}`). */
    parameter_format: z.string(),
    body: z.string(),
    /** The header's text; for a media or location header, `[image]`, `[video]`, `[document]`, `[location]`. */
    header: z.string().nullable(),
    /** TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION; null without a header. */
    header_format: z.string().nullable(),
    footer: z.string().nullable(),
    buttons: z.array(z.object({ type: z.string(), text: z.string(), url: z.string().optional(), phone_number: z.string().optional() })),
    /** Body parameters: positional count (the highest `{{n}}`), or the number of names. */
    parameter_count: z.number(),
    /** The body's variables: `["1","2"]` or `["customer_name","order_id"]`. */
    variables: z.array(z.string()),
    quality: z.string().nullable(),
    /** Can it be sent now (APPROVED or FLAGGED)? */
    sendable: z.boolean(),
    /** Why not, or what to watch (a FLAGGED template's disable date, a coming category change). */
    warning: z.string().nullable(),
    /** FLAGGED: when Meta will disable it unless its quality improves. */
    disable_date: z.string().nullable(),
    /** LOCKED: it cannot be edited (it can still be sent). */
    locked: z.boolean(),
    /** A category change Meta announced (`template_category_update` with `correct_category`), or the last one made. */
    category_change: z.object({ from: z.string().nullable(), to: z.string(), at: z.string().nullable(), done: z.boolean() }).nullable(),
    /** The reason of the last status event (REJECTED, PAUSED, DISABLED…), as Meta gave it. */
    status_reason: z.string().nullable(),
    updated_at: z.string(),
  })
  .meta({ id: 'Template' });
export type TemplateJson = z.infer<typeof TemplateJsonSchema>;

/** `GET /admin/api/checklist`: the go-live steps, each checked against the Cloud API. */
export const ChecklistItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** true = done, false = needs work, null = cannot be checked from here. */
  ok: z.boolean().nullable(),
  detail: z.string(),
  fix: z.string(),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

export const ChecklistSchema = z.object({
  mode: z.enum(['live', 'sandbox']),
  ready: z.boolean(),
  data: z.array(ChecklistItemSchema),
});
export type Checklist = z.infer<typeof ChecklistSchema>;
