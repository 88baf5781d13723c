/** REST bodies and JSON shapes of the public contract (DESIGN.md). */
import { z } from 'zod';

export const MAX_TEXT = 4096;

const trimmedText = z
  .string()
  .max(MAX_TEXT, `text must be at most ${MAX_TEXT} characters`)
  .refine((s) => s.trim().length > 0, 'text must not be empty');

const optionalName = z.string().trim().max(100).optional().nullable();

export const VisitorMessageBodySchema = z.object({
  text: trimmedText,
  name: optionalName,
  email: z.string().trim().max(254).email('email is not a valid address').optional().nullable().or(z.literal('')),
  phone: z.string().trim().max(32).optional().nullable().or(z.literal('')),
  whatsapp_consent: z.boolean().optional(),
  visitor_token: z.string().min(16).max(128).optional().nullable(),
  client_id: z.string().min(1).max(64).optional(),
  page_url: z.string().max(2048).optional().nullable(),
});
export type VisitorMessageBody = z.infer<typeof VisitorMessageBodySchema>;

export const SessionBodySchema = z.object({
  email: z.string().trim().min(1, 'email is required').max(254),
  password: z.string().min(1, 'password is required').max(1024),
});
export type SessionBody = z.infer<typeof SessionBodySchema>;

export const TemplateSendSchema = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  parameters: z.array(z.string().max(1024)).max(20).default([]),
  header_parameters: z.array(z.string().max(1024)).max(5).optional(),
  button_parameters: z.array(z.string().max(1024)).max(10).optional(),
});
export type TemplateSend = z.infer<typeof TemplateSendSchema>;

export const AdminSendMessageSchema = z.discriminatedUnion('message_type', [
  z.object({
    message_type: z.literal('text'),
    text: trimmedText,
    reply_to: z.string().max(64).optional(),
  }),
  z.object({ message_type: z.literal('template'), template: TemplateSendSchema }),
  z.object({ message_type: z.literal('note'), text: trimmedText }),
  z.object({
    message_type: z.literal('media'),
    media_id: z.string().min(1).max(64),
    caption: z.string().max(1024).optional(),
  }),
]);
export type AdminSendMessage = z.infer<typeof AdminSendMessageSchema>;

export type Channel = 'web' | 'whatsapp';
export type Direction = 'inbound' | 'outbound';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

export interface ContactJson {
  id: string;
  name: string | null;
  wa_id: string | null;
  user_id?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Web visitors: the page they last wrote from, and their browser ("Chrome 126 on Android"). */
  page_url?: string | null;
  browser?: string | null;
}

export interface WindowJson {
  open: boolean;
  closes_at: string | null;
}

export interface ConversationJson {
  id: string;
  channel: Channel;
  status: 'open' | 'resolved';
  contact: ContactJson;
  window: WindowJson;
  last_message_at: string | null;
  last_message_preview: string | null;
  unread: number;
  assignee_id: string | null;
  whatsapp_consent: boolean;
  created_at: string;
}

export interface MessageErrorJson {
  code: string;
  title: string;
  detail: string | null;
  explanation?: string;
  fix?: string;
  retryable?: boolean;
}

export interface MediaJson {
  id: string;
  mime: string | null;
  size: number | null;
  filename: string | null;
  url: string | null;
  ready: boolean;
}

export interface MessageJson {
  id: string;
  conversation_id: string;
  direction: Direction;
  sender: 'visitor' | 'customer' | 'agent' | 'owner' | 'system';
  type: string;
  text: string;
  content: unknown;
  wamid: string | null;
  status: MessageStatus;
  error: MessageErrorJson | null;
  context: { message_id: string | null; wamid: string | null; text?: string | null } | null;
  reactions: { emoji: string; from: string }[];
  media: MediaJson | null;
  template: { name: string; language: string; parameters: string[] } | null;
  is_note: boolean;
  client_id: string | null;
  author_name: string | null;
  created_at: string;
  edited_at: string | null;
  deleted: boolean;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface TemplateJson {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  body: string;
  header: string | null;
  footer: string | null;
  buttons: { type: string; text: string }[];
  parameter_count: number;
  updated_at: string;
}

/** `GET /admin/api/checklist`: the go-live steps, each checked against the Cloud API. */
export interface ChecklistItem {
  id: string;
  title: string;
  /** true = done, false = needs work, null = cannot be checked from here. */
  ok: boolean | null;
  detail: string;
  fix: string;
}

export interface Checklist {
  mode: 'live' | 'sandbox';
  ready: boolean;
  data: ChecklistItem[];
}
