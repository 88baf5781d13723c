/**
 * The JSON the admin app sends and receives: every type is inferred from the zod schemas in
 * shared/ (the ones the server validates with and the OpenAPI document is generated from). Only
 * the inbox's UI filters and the sandbox panel's narrowed request are the app's own.
 */
import type { CreateToken, SandboxInboxEntry } from '@connectdesk/shared';

export type {
  AdminSendMessage,
  AgentReplyJson,
  Checklist,
  ConversationJson,
  MessageErrorJson,
  MessageJson,
  MessageStatus,
  Page,
  TemplateJson,
} from '@connectdesk/shared/api';
export type { WidgetSettings } from '@connectdesk/shared/widget-settings';
export type { AgentPreferences, AgentPresenceJson, NotificationSettings, PresenceStatus, UnreadCountsJson } from '@connectdesk/shared/agent-day';
export type { OwnerForwarding, OwnerForwardingStatusJson, OwnerMessageJson, OwnerPolicy } from '@connectdesk/shared/owner-forwarding';
export type {
  AgentJson as Agent,
  ApiTokenJson,
  CannedResponse,
  ConnectInfo,
  InteractiveSend,
  ReplyButton,
  HealthJson as Health,
  NumberInput,
  UserJson as User,
  AccountEventJson,
  WhatsAppAccount,
  WhatsAppNumberJson,
} from '@connectdesk/shared';

/** `POST /admin/api/tokens`: the admin app always sends scopes and an expiry (null = never). */
export type CreateTokenInput = Required<Pick<CreateToken, 'name' | 'scopes' | 'expires_at'>>;

/** What a simulated phone received (sandbox). */
export type PhoneInboxItem = SandboxInboxEntry;

/** What the sandbox panel lets a simulated phone send (a narrowed `POST /sandbox/phones/:waId/messages` body). */
export type SimulatedMessage = (
  | { type: 'text'; text: { body: string } }
  | { type: 'interactive'; interactive: { type: 'list_reply'; list_reply: { id: string } } | { type: 'button_reply'; button_reply: { id: string } } }
) & { context?: { id: string }; profile_name?: string };

/** The inbox's filters (the app's own state, sent as query parameters). */
export interface ConversationFilters {
  status: 'open' | 'resolved' | 'all';
  channel: 'all' | 'web' | 'whatsapp';
  assignee: 'all' | 'me' | 'unassigned';
  q: string;
}
