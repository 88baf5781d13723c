/** JSON shapes of the admin endpoints that are not part of shared/ (team, settings, checklist, sandbox). */
import type { WidgetSettings } from '@connectdesk/shared/widget-settings';

export type { AdminSendMessage, Checklist, ChecklistItem, ConversationJson, MessageErrorJson, MessageJson, MessageStatus, Page, TemplateJson } from '@connectdesk/shared/api';
export type { WidgetSettings };

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}

export interface Agent extends User {
  created_at: string;
}

export interface ApiTokenJson {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  user_name: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  text: string;
}

export interface WhatsAppNumberJson {
  id: string;
  phone_number_id: string;
  waba_id: string | null;
  display_phone_number: string | null;
  verified_name: string | null;
  has_token: boolean;
  target_phone: string | null;
  quality_rating: string | null;
  messaging_tier: string | null;
  is_default: boolean;
  updated_at: string;
}

export interface NumberInput {
  phone_number_id?: string;
  waba_id?: string | null;
  display_phone_number?: string | null;
  /** Write-only: a new token, null to clear, omitted to keep. */
  access_token?: string | null;
  target_phone?: string | null;
  is_default?: boolean;
}

export interface ConnectInfo {
  webhook_url: string;
  verify_token: string;
  webhook_fields: string[];
  verified_at: string | null;
  app_secret_set: boolean;
  mode: 'live' | 'sandbox';
  api_version: string;
  env_target_phone: string | null;
}

export interface Health {
  ok: boolean;
  mode: 'live' | 'sandbox';
  version: string;
}

/** What a simulated phone received (sandbox). Loose: only what the panel shows is relied on. */
export interface PhoneInboxItem {
  wamid: string;
  type: string;
  text?: string | null;
  template?: { name: string; language?: string; parameters?: string[]; text?: string } | null;
  context?: { message_id?: string } | null;
  status?: string;
  /** ISO time the phone received it. */
  timestamp?: string;
}

export interface SimulatedMessage {
  type: 'text';
  text: { body: string };
  context?: { id: string };
  profile_name?: string;
}

export interface ConversationFilters {
  status: 'open' | 'resolved' | 'all';
  channel: 'all' | 'web' | 'whatsapp';
  assignee: 'all' | 'me' | 'unassigned';
  q: string;
}
