/**
 * Every public and admin HTTP route with the schemas of its input and output: the one list the
 * OpenAPI document (openapi.ts) is generated from. The server checks at start-up that each route it
 * registers is listed here (server/src/http/routes/openapi.ts), so the two cannot drift.
 */
import { z } from 'zod';
import { AgentPreferencesPatchSchema, AgentStatusBodySchema, NotificationSettingsBodySchema } from '../agent-day.ts';
import { AdminSendMessageSchema, AgentReplyJsonSchema, ChecklistSchema, SessionBodySchema } from '../api.ts';
import type { ApiScope } from '../api-scopes.ts';
import { WebhookBodySchema } from '../cloud-api/webhook.ts';
import { OwnerForwardingSchema, OwnerForwardingStatusJsonSchema, OwnerMessageJsonSchema } from '../owner-forwarding.ts';
import {
  AgentsReportJsonSchema,
  CommentsQuerySchema,
  OwnerPhoneReportJsonSchema,
  ReportQuerySchema,
  ResponseTimesReportJsonSchema,
  SatisfactionReportJsonSchema,
  SurveyCommentJsonSchema,
  VolumeReportJsonSchema,
  WhatsAppReportJsonSchema,
} from '../reports.ts';
import { PublicSurveyAnswerSchema, SatisfactionSettingsSchema, WhatsAppRatesSchema } from '../satisfaction.ts';
import { WidgetConfigJsonSchema, WidgetSettingsSchema } from '../widget-settings.ts';
import { PreferencesResponseSchema, PresenceListSchema, StatusResponseSchema, UnreadResponseSchema } from './agent-day.ts';
import {
  ConversationListQuerySchema,
  ConversationPageSchema,
  ConversationPatchSchema,
  ConversationResponseSchema,
  MessageListQuerySchema,
  MessagePageSchema,
  MessageResponseSchema,
} from './admin-conversations.ts';
import { WebhookSubscriptionSchema, WhatsAppAccountSchema } from './admin-whatsapp-account.ts';
import { AgentUploadFormSchema, MediaListQuerySchema, MediaListSchema, MediaUploadResponseSchema } from './admin-media.ts';
import { ChangePasswordSchema, CurrentSessionResponseSchema, UserResponseSchema } from './admin-session.ts';
import {
  CannedResponseInputSchema,
  CannedResponseListSchema,
  CannedResponseResponseSchema,
  ConnectInfoSchema,
  NotificationSettingsResponseSchema,
  NumberCreateSchema,
  NumberUpdateSchema,
  OwnerForwardingResponseSchema,
  SatisfactionSettingsResponseSchema,
  WhatsAppNumberListSchema,
  WhatsAppNumberResponseSchema,
  WhatsAppRatesResponseSchema,
  WidgetSettingsResponseSchema,
} from './admin-settings.ts';
import {
  AgentListSchema,
  AgentResponseSchema,
  ApiTokenListSchema,
  ChangeRoleSchema,
  CreatedTokenResponseSchema,
  CreateTokenSchema,
  InvitedAgentResponseSchema,
  InviteAgentSchema,
} from './admin-team.ts';
import {
  TemplateListQuerySchema,
  TemplateListSchema,
  TemplatePreviewBodySchema,
  TemplatePreviewQuerySchema,
  TemplatePreviewSchema,
  TemplateSyncResponseSchema,
} from './admin-templates.ts';
import { OkSchema, pageOf, pageQuery } from './common.ts';
import {
  CurrentSurveyResponseSchema,
  HealthJsonSchema,
  MessageEnvelopeSchema,
  SignedMediaQuerySchema,
  SurveyResponseSchema,
  VisitorAttachmentFormSchema,
  VisitorHistorySchema,
  VisitorMessageBodySchema,
  VisitorMessageResponseSchema,
  VisitorTokenQuerySchema,
  WebhookVerifyQuerySchema,
} from './public.ts';
import { WebhookEventDetailSchema, WebhookEventListQuerySchema, WebhookEventListSchema } from './webhook-events.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A response: JSON with a schema, another media type (text, a file), or no body (204). */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when there is a schema. */
  contentType?: string;
}

/**
 * Who may call a route: anyone; a signed-in agent (session cookie or `Authorization: Bearer` API
 * token with `scope`); a signed-in agent's browser session only; Prometheus with METRICS_TOKEN;
 * Meta, with the body signed by the app secret.
 */
export type RouteAccess = 'public' | 'agent' | 'session' | 'metrics' | 'meta_signature';

export interface RouteSpec {
  method: HttpMethod;
  /** As the server registers it (`/admin/api/conversations/:id`). */
  path: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  /** For `agent` routes: the API token scope(s) that reach it (any one of them). */
  scopes?: ApiScope[];
  /** Admins only (an agent gets 403). */
  adminOnly?: boolean;
  query?: z.ZodType;
  body?: z.ZodType;
  /** JSON unless said otherwise. */
  bodyType?: 'json' | 'multipart';
  responses: Record<number, ResponseSpec>;
}

const json = (description: string, schema: z.ZodType): ResponseSpec => ({ description, schema });
const noContent: ResponseSpec = { description: 'done; no body' };
const file: ResponseSpec = { description: 'the file, with its type and Content-Disposition', contentType: 'application/octet-stream' };

const agent = (tag: string, scopes: ApiScope[], rest: Omit<RouteSpec, 'tag' | 'access' | 'scopes'>): RouteSpec => ({ tag, access: 'agent', scopes, ...rest });

const conversationsRead: ApiScope[] = ['conversations:read'];
const conversationsWrite: ApiScope[] = ['conversations:write'];
const settings: ApiScope[] = ['settings'];
const reports: ApiScope[] = ['reports'];

const report = (kind: string, summary: string, schema: z.ZodType, adminOnly = false): RouteSpec =>
  agent('reports', reports, {
    method: 'get',
    path: `/admin/api/reports/${kind}`,
    summary,
    query: ReportQuerySchema,
    adminOnly,
    responses: { 200: json('the report', schema) },
  });

export const ROUTES: RouteSpec[] = [
  // ---- public --------------------------------------------------------------------------------
  {
    method: 'get',
    path: '/healthz',
    summary: 'Readiness: 200 once the database is migrated and the server ready, 503 before',
    tag: 'public',
    access: 'public',
    responses: { 200: json('ready', HealthJsonSchema), 503: json('not ready yet', HealthJsonSchema) },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (off unless METRICS_TOKEN is set: 404)',
    tag: 'operations',
    access: 'metrics',
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/api/whatsapp/webhook',
    summary: "Meta's verification handshake: the challenge as plain text when the verify token matches",
    tag: 'whatsapp webhook',
    access: 'public',
    query: WebhookVerifyQuerySchema,
    responses: {
      200: { description: 'hub.challenge, as sent', contentType: 'text/plain' },
      403: { description: 'wrong mode or verify token', contentType: 'text/plain' },
    },
  },
  {
    method: 'post',
    path: '/api/whatsapp/webhook',
    summary: "Meta's webhook deliveries (X-Hub-Signature-256 over the raw body; stored, then applied idempotently)",
    tag: 'whatsapp webhook',
    access: 'meta_signature',
    body: WebhookBodySchema,
    responses: { 200: { description: 'stored' } },
  },
  {
    method: 'post',
    path: '/api/messages',
    summary: 'A visitor message over plain HTTP; the same visitor_token continues the same conversation',
    tag: 'visitors',
    access: 'public',
    body: VisitorMessageBodySchema,
    responses: {
      201: json('stored', VisitorMessageResponseSchema),
      200: json('stored already (same client_id)', VisitorMessageResponseSchema),
    },
  },
  {
    method: 'get',
    path: '/api/messages',
    summary: "That visitor's conversation, oldest first",
    tag: 'visitors',
    access: 'public',
    query: VisitorTokenQuerySchema,
    responses: { 200: json('the messages', VisitorHistorySchema) },
  },
  {
    method: 'post',
    path: '/api/messages/attachments',
    summary: 'A file from a visitor (multipart: visitor_token, client_id?, caption?, file)',
    tag: 'visitors',
    access: 'public',
    body: VisitorAttachmentFormSchema,
    bodyType: 'multipart',
    responses: { 201: json('stored', MessageEnvelopeSchema), 200: json('stored already (same client_id)', MessageEnvelopeSchema) },
  },
  {
    method: 'get',
    path: '/api/media/:id',
    summary: "A file of the visitor's conversation, by the signed, expiring link given with the message",
    tag: 'visitors',
    access: 'public',
    query: SignedMediaQuerySchema,
    responses: { 200: file },
  },
  {
    method: 'get',
    path: '/api/widget/config',
    summary: 'What the widget needs before it draws',
    tag: 'visitors',
    access: 'public',
    responses: { 200: json('the widget settings, business hours and presence', WidgetConfigJsonSchema) },
  },
  {
    method: 'get',
    path: '/api/surveys/current',
    summary: "The satisfaction survey waiting for this visitor's answer, or null",
    tag: 'visitors',
    access: 'public',
    query: VisitorTokenQuerySchema,
    responses: { 200: json('the survey or null', CurrentSurveyResponseSchema) },
  },
  {
    method: 'post',
    path: '/api/surveys/:id/answer',
    summary: 'Answer the survey (409 survey_answered, 410 survey_expired)',
    tag: 'visitors',
    access: 'public',
    body: PublicSurveyAnswerSchema,
    responses: { 200: json('the answered survey', SurveyResponseSchema) },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    tag: 'public',
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1', contentType: 'application/json' } },
  },
  {
    method: 'get',
    path: '/widget.js',
    summary: 'The widget loader (the install snippet loads it)',
    tag: 'widget',
    access: 'public',
    responses: { 200: { description: 'JavaScript', contentType: 'text/javascript' } },
  },
  {
    method: 'get',
    path: '/widget/*file',
    summary: "The widget's lazily loaded chunks (hashed, immutable)",
    tag: 'widget',
    access: 'public',
    responses: { 200: { description: 'a static file', contentType: 'application/octet-stream' } },
  },
  {
    method: 'get',
    path: '/',
    summary: 'A demo page with the widget installed',
    tag: 'widget',
    access: 'public',
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/admin/',
    summary: 'The admin app (a single-page app: every /admin/ path serves it)',
    tag: 'admin app',
    access: 'public',
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
  },

  // ---- admin: session --------------------------------------------------------------------------
  {
    method: 'post',
    path: '/admin/api/session',
    summary: 'Sign in (sets the session cookie; must come from this site)',
    tag: 'session',
    access: 'public',
    body: SessionBodySchema,
    responses: { 200: json('signed in', UserResponseSchema) },
  },
  {
    method: 'delete',
    path: '/admin/api/session',
    summary: 'Sign out',
    tag: 'session',
    access: 'agent',
    responses: { 204: noContent },
  },
  {
    method: 'get',
    path: '/admin/api/session',
    summary: 'Who is signed in (null when nobody is; never 401)',
    tag: 'session',
    access: 'public',
    responses: { 200: json('the user or null', CurrentSessionResponseSchema) },
  },
  {
    method: 'get',
    path: '/admin/api/me',
    summary: 'The signed-in agent',
    tag: 'session',
    access: 'agent',
    responses: { 200: json('the user', UserResponseSchema) },
  },
  {
    method: 'put',
    path: '/admin/api/me/password',
    summary: "Change one's own password (ends every other session, socket and token)",
    tag: 'session',
    access: 'session',
    body: ChangePasswordSchema,
    responses: { 200: json('changed; this browser has a new session', UserResponseSchema) },
  },

  // ---- admin: inbox ----------------------------------------------------------------------------
  agent('conversations', conversationsRead, {
    method: 'get',
    path: '/admin/api/conversations',
    summary: 'Conversations, latest activity first',
    query: ConversationListQuerySchema,
    responses: { 200: json('a page of conversations', ConversationPageSchema) },
  }),
  agent('conversations', conversationsRead, {
    method: 'get',
    path: '/admin/api/conversations/:id',
    summary: 'One conversation',
    responses: { 200: json('the conversation', ConversationResponseSchema) },
  }),
  agent('conversations', conversationsWrite, {
    method: 'patch',
    path: '/admin/api/conversations/:id',
    summary: 'Resolve, reopen, assign',
    body: ConversationPatchSchema,
    responses: { 200: json('the conversation', ConversationResponseSchema) },
  }),
  agent('conversations', conversationsWrite, {
    method: 'post',
    path: '/admin/api/conversations/:id/read',
    summary: 'Mark read',
    responses: { 200: json('the conversation', ConversationResponseSchema) },
  }),
  agent('conversations', conversationsRead, {
    method: 'get',
    path: '/admin/api/conversations/:id/messages',
    summary: 'Messages, oldest first',
    query: MessageListQuerySchema,
    responses: { 200: json('a page of messages', MessagePageSchema) },
  }),
  agent('conversations', conversationsWrite, {
    method: 'post',
    path: '/admin/api/conversations/:id/messages',
    summary: 'Reply (text, template, note or media) or react to a message; free-form outside the 24-hour window is refused with window_closed',
    body: AdminSendMessageSchema,
    responses: { 201: json('accepted (queued for WhatsApp where it goes there)', AgentReplyJsonSchema) },
  }),
  agent('conversations', conversationsWrite, {
    method: 'post',
    path: '/admin/api/messages/:id/retry',
    summary: 'Send a failed message again',
    responses: { 200: json('the message', MessageResponseSchema) },
  }),
  agent('media', conversationsWrite, {
    method: 'post',
    path: '/admin/api/media',
    summary: 'Upload a file to send (multipart, field file)',
    body: AgentUploadFormSchema,
    bodyType: 'multipart',
    responses: { 201: json('stored', MediaUploadResponseSchema) },
  }),
  agent('media', conversationsRead, {
    method: 'get',
    path: '/admin/api/media',
    summary: 'Files agents uploaded, newest first (saved assets for template headers)',
    query: MediaListQuerySchema,
    responses: { 200: json('the files', MediaListSchema) },
  }),
  agent('media', conversationsRead, { method: 'get', path: '/admin/api/media/:id', summary: 'A stored file', responses: { 200: file } }),

  // ---- admin: templates ------------------------------------------------------------------------
  agent('templates', ['templates'], {
    method: 'get',
    path: '/admin/api/templates',
    summary: 'Synced WhatsApp templates',
    query: TemplateListQuerySchema,
    responses: { 200: json('the templates', TemplateListSchema) },
  }),
  agent('templates', ['templates'], {
    method: 'post',
    path: '/admin/api/templates/sync',
    summary: 'Fetch the templates from the Cloud API now',
    responses: { 200: json('how many were synced, and the list', TemplateSyncResponseSchema) },
  }),
  agent('templates', ['templates'], {
    method: 'get',
    path: '/admin/api/templates/:name/preview',
    summary: "A template's text with parameters",
    query: TemplatePreviewQuerySchema,
    responses: { 200: json('the rendered text', TemplatePreviewSchema) },
  }),
  agent('templates', ['templates'], {
    method: 'post',
    path: '/admin/api/templates/:name/preview',
    summary:
      'A template filled like a send (named or positional parameters, header media or location, buttons): its text, its components, and what a send would be refused for',
    body: TemplatePreviewBodySchema,
    responses: { 200: json('the rendered text', TemplatePreviewSchema) },
  }),

  // ---- admin: WhatsApp webhook deliveries ------------------------------------------------------
  agent('whatsapp webhook', settings, {
    method: 'get',
    path: '/admin/api/whatsapp/webhook-events',
    summary: 'Stored webhook deliveries (what failed and why)',
    adminOnly: true,
    query: WebhookEventListQuerySchema,
    responses: { 200: json('counts by status and the latest deliveries', WebhookEventListSchema) },
  }),
  agent('whatsapp webhook', settings, {
    method: 'get',
    path: '/admin/api/whatsapp/webhook-events/:id',
    summary: 'One delivery with its raw body',
    adminOnly: true,
    responses: { 200: json('the delivery', WebhookEventDetailSchema) },
  }),
  agent('whatsapp webhook', settings, {
    method: 'post',
    path: '/admin/api/whatsapp/webhook-events/:id/replay',
    summary: 'Apply a delivery again',
    adminOnly: true,
    responses: { 202: json('queued', OkSchema) },
  }),

  // ---- admin: the agent's day ------------------------------------------------------------------
  {
    method: 'get',
    path: '/admin/api/me/preferences',
    summary: "The agent's notification preferences",
    tag: 'agent day',
    access: 'agent',
    responses: { 200: json('the preferences', PreferencesResponseSchema) },
  },
  {
    method: 'patch',
    path: '/admin/api/me/preferences',
    summary: "Change the agent's notification preferences",
    tag: 'agent day',
    access: 'session',
    body: AgentPreferencesPatchSchema,
    responses: { 200: json('the preferences', PreferencesResponseSchema) },
  },
  agent('agent day', conversationsRead, {
    method: 'get',
    path: '/admin/api/unread',
    summary: "This agent's unread counts",
    responses: { 200: json('the counts', UnreadResponseSchema) },
  }),
  agent('agent day', conversationsRead, {
    method: 'get',
    path: '/admin/api/presence',
    summary: "Every agent's presence",
    responses: { 200: json('online, away or offline', PresenceListSchema) },
  }),
  agent('agent day', conversationsWrite, {
    method: 'put',
    path: '/admin/api/me/status',
    summary: 'Away by hand, or online again',
    body: AgentStatusBodySchema,
    responses: { 200: json('the status shown now', StatusResponseSchema) },
  }),

  // ---- admin: settings -------------------------------------------------------------------------
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/settings/widget',
    summary: 'Widget settings',
    responses: { 200: json('the settings', WidgetSettingsResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'put',
    path: '/admin/api/settings/widget',
    summary: 'Change the widget settings',
    adminOnly: true,
    body: WidgetSettingsSchema,
    responses: { 200: json('the settings', WidgetSettingsResponseSchema) },
  }),
  agent('settings', ['conversations:read', 'settings'], {
    method: 'get',
    path: '/admin/api/canned-responses',
    summary: 'Canned responses',
    responses: { 200: json('the canned responses', CannedResponseListSchema) },
  }),
  agent('settings', settings, {
    method: 'post',
    path: '/admin/api/canned-responses',
    summary: 'Add a canned response',
    body: CannedResponseInputSchema,
    responses: { 201: json('added', CannedResponseResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'put',
    path: '/admin/api/canned-responses/:id',
    summary: 'Change a canned response',
    body: CannedResponseInputSchema,
    responses: { 200: json('changed', CannedResponseResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'delete',
    path: '/admin/api/canned-responses/:id',
    summary: 'Remove a canned response',
    responses: { 204: noContent },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/settings/whatsapp-numbers',
    summary: "The business's WhatsApp numbers (tokens are never returned)",
    responses: { 200: json('the numbers', WhatsAppNumberListSchema) },
  }),
  agent('settings', settings, {
    method: 'post',
    path: '/admin/api/settings/whatsapp-numbers',
    summary: 'Add a WhatsApp number',
    adminOnly: true,
    body: NumberCreateSchema,
    responses: { 201: json('added', WhatsAppNumberResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'patch',
    path: '/admin/api/settings/whatsapp-numbers/:id',
    summary: 'Change a WhatsApp number',
    adminOnly: true,
    body: NumberUpdateSchema,
    responses: { 200: json('changed', WhatsAppNumberResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'delete',
    path: '/admin/api/settings/whatsapp-numbers/:id',
    summary: 'Remove a WhatsApp number',
    adminOnly: true,
    responses: { 204: noContent },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/settings/whatsapp-connect',
    summary: "What to paste into Meta's dashboard",
    adminOnly: true,
    responses: { 200: json('the webhook URL and verify token', ConnectInfoSchema) },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/settings/notifications',
    summary: 'The team\'s "unanswered" e-mail threshold',
    responses: { 200: json('the settings', NotificationSettingsResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'put',
    path: '/admin/api/settings/notifications',
    summary: 'Change the "unanswered" e-mail threshold',
    adminOnly: true,
    body: NotificationSettingsBodySchema,
    responses: { 200: json('the settings', NotificationSettingsResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/settings/owner-forwarding',
    summary: "Forwarding to the owner's phone: policy and quiet hours",
    responses: { 200: json('the settings and the site time zone', OwnerForwardingResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'put',
    path: '/admin/api/settings/owner-forwarding',
    summary: "Change forwarding to the owner's phone",
    adminOnly: true,
    body: OwnerForwardingSchema,
    responses: { 200: json('the settings and the site time zone', OwnerForwardingResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/settings/owner-forwarding/log',
    summary: "What was sent to the owner's phone, latest first",
    query: pageQuery(200, 50),
    responses: { 200: json('a page of messages to the owner', pageOf(OwnerMessageJsonSchema)) },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/settings/owner-forwarding/status',
    summary: "The owner's queue and pair budget",
    responses: { 200: json('the state of forwarding', OwnerForwardingStatusJsonSchema) },
  }),
  agent('settings', ['settings', 'reports'], {
    method: 'get',
    path: '/admin/api/settings/satisfaction',
    summary: 'The satisfaction survey on or off',
    responses: { 200: json('the settings', SatisfactionSettingsResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'put',
    path: '/admin/api/settings/satisfaction',
    summary: 'Turn the satisfaction survey on or off',
    adminOnly: true,
    body: SatisfactionSettingsSchema,
    responses: { 200: json('the settings', SatisfactionSettingsResponseSchema) },
  }),
  agent('settings', ['settings', 'reports'], {
    method: 'get',
    path: '/admin/api/settings/whatsapp-rates',
    summary: 'WhatsApp rates for the cost estimate',
    responses: { 200: json('the rates', WhatsAppRatesResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'put',
    path: '/admin/api/settings/whatsapp-rates',
    summary: 'Change the WhatsApp rates',
    adminOnly: true,
    body: WhatsAppRatesSchema,
    responses: { 200: json('the rates', WhatsAppRatesResponseSchema) },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/checklist',
    summary: 'The go-live checklist, each step checked against the Cloud API',
    responses: { 200: json('the steps', ChecklistSchema) },
  }),
  agent('settings', settings, {
    method: 'get',
    path: '/admin/api/whatsapp/account',
    summary: 'Account health: paused sending (token problems), numbers with quality, tier and throughput, Meta’s account events',
    responses: { 200: json('the account', WhatsAppAccountSchema) },
  }),
  agent('settings', settings, {
    method: 'post',
    path: '/admin/api/whatsapp/subscription',
    summary: 'Subscribe the app to the WhatsApp Business Account’s webhooks (POST /{waba-id}/subscribed_apps)',
    adminOnly: true,
    responses: { 200: json('the subscribed apps', WebhookSubscriptionSchema) },
  }),

  // ---- admin: team -----------------------------------------------------------------------------
  agent('team', ['team', 'conversations:read'], {
    method: 'get',
    path: '/admin/api/agents',
    summary: 'The team',
    responses: { 200: json('the agents', AgentListSchema) },
  }),
  agent('team', ['team'], {
    method: 'post',
    path: '/admin/api/agents',
    summary: 'Invite an agent (the generated password is shown once)',
    adminOnly: true,
    body: InviteAgentSchema,
    responses: { 201: json('invited', InvitedAgentResponseSchema) },
  }),
  {
    method: 'patch',
    path: '/admin/api/agents/:id',
    summary: "Change an agent's role (ends their sessions, sockets and tokens)",
    tag: 'team',
    access: 'session',
    adminOnly: true,
    body: ChangeRoleSchema,
    responses: { 200: json('the agent', AgentResponseSchema) },
  },
  agent('team', ['team'], {
    method: 'delete',
    path: '/admin/api/agents/:id',
    summary: 'Remove an agent (ends their sessions, sockets and tokens)',
    adminOnly: true,
    responses: { 204: noContent },
  }),
  agent('team', ['team'], {
    method: 'get',
    path: '/admin/api/tokens',
    summary: "API tokens (admins: everyone's; agents: their own)",
    responses: { 200: json('the tokens', ApiTokenListSchema) },
  }),
  {
    method: 'post',
    path: '/admin/api/tokens',
    summary: 'Create an API token (shown once)',
    tag: 'team',
    access: 'session',
    body: CreateTokenSchema,
    responses: { 201: json('created', CreatedTokenResponseSchema) },
  },
  agent('team', ['team'], { method: 'delete', path: '/admin/api/tokens/:id', summary: 'Revoke an API token', responses: { 204: noContent } }),

  // ---- admin: reports --------------------------------------------------------------------------
  report('volume', 'Conversations and messages', VolumeReportJsonSchema),
  report('response-times', 'First response and resolution times', ResponseTimesReportJsonSchema),
  report('agents', 'Figures per agent', AgentsReportJsonSchema),
  report('whatsapp', 'WhatsApp delivery, failures and cost', WhatsAppReportJsonSchema),
  report('owner-phone', "Forwards to the owner's phone and the owner's replies", OwnerPhoneReportJsonSchema, true),
  report('satisfaction', 'Satisfaction survey results', SatisfactionReportJsonSchema),
  agent('reports', reports, {
    method: 'get',
    path: '/admin/api/reports/satisfaction/comments',
    summary: 'Survey comments, latest first',
    query: CommentsQuerySchema,
    responses: { 200: json('a page of comments', pageOf(SurveyCommentJsonSchema)) },
  }),
];
