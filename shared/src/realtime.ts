/** Typed socket.io event maps shared by the server, the widget and the admin app. */
import type { ConversationJson, MessageErrorJson, MessageJson, MessageStatus } from './api.ts';
import type { ApiError } from './error-codes.ts';

export type Ack<T> = (res: ({ ok: true } & T) | { ok: false; error: ApiError }) => void;

export interface VisitorClientToServer {
  'message:send': (
    payload: { text: string; client_id: string; name?: string; email?: string; phone?: string; whatsapp_consent?: boolean; page_url?: string },
    ack: Ack<{ message: MessageJson }>,
  ) => void;
  typing: (payload: { on: boolean }) => void;
  read: (payload: { up_to: string }) => void;
  'history': (payload: Record<string, never>, ack: Ack<{ messages: MessageJson[] }>) => void;
  identify: (payload: { name?: string; email?: string; phone?: string; whatsapp_consent?: boolean }, ack?: Ack<Record<string, never>>) => void;
}

export interface VisitorServerToClient {
  session: (payload: { visitor_token: string }) => void;
  'message:new': (payload: { message: MessageJson }) => void;
  'message:status': (payload: { id: string; status: MessageStatus }) => void;
  typing: (payload: { on: boolean }) => void;
}

export interface AdminClientToServer {
  typing: (payload: { conversation_id: string; on: boolean }) => void;
}

export interface AdminServerToClient {
  'message:new': (payload: { message: MessageJson; conversation: ConversationJson }) => void;
  'message:status': (payload: { id: string; status: MessageStatus; error: MessageErrorJson | null }) => void;
  'conversation:update': (payload: { conversation: ConversationJson }) => void;
  typing: (payload: { conversation_id: string; on: boolean }) => void;
}
