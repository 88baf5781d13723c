/**
 * What ConnectDesk needs from Meta's Graph API (WhatsApp Cloud API), as an interface, so the
 * domain never knows whether it talks to Meta or to the sandbox. Implemented by GraphClient
 * (graph-client.ts), which takes `{ baseUrl, version, token, phoneNumberId, wabaId, fetch, timeoutMs }`
 * and never reads env.
 */
import type { SendMessage, SendMessageResponse } from '@connectdesk/shared';

export interface GraphTemplate {
  id: string;
  name: string;
  language: string;
  status: string; // APPROVED | PENDING | REJECTED | PAUSED | DISABLED
  category: string; // MARKETING | UTILITY | AUTHENTICATION
  components: { type: string; format?: string; text?: string; buttons?: { type: string; text: string; url?: string; phone_number?: string }[] }[];
  quality_score?: { score: string };
  /** POSITIONAL (`{{1}}`, the default) or NAMED (`{{customer_name}}`). */
  parameter_format?: string;
}

export interface PhoneNumberInfo {
  id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating: string; // GREEN | YELLOW | RED | UNKNOWN
  messaging_limit_tier?: string; // TIER_250 | TIER_1K | ...
  code_verification_status?: string;
  name_status?: string;
  platform_type?: string; // CLOUD_API
  throughput?: { level: string };
  account_mode?: string; // SANDBOX | LIVE
}

export interface TokenInfo {
  is_valid: boolean;
  type?: string; // SYSTEM_USER | USER
  expires_at: number; // 0 = never
  scopes: string[];
}

export interface UploadedMedia {
  id: string;
}

export interface MediaInfo {
  id: string;
  url: string;
  mime_type: string;
  sha256: string;
  file_size: number;
}

export interface CloudApi {
  sendMessage(body: SendMessage, opts?: { phoneNumberId?: string; token?: string; signal?: AbortSignal }): Promise<SendMessageResponse>;
  markRead(wamid: string, opts?: { typingIndicator?: boolean; phoneNumberId?: string; token?: string }): Promise<void>;
  uploadMedia(data: Buffer, mime: string, filename: string, opts?: { phoneNumberId?: string; token?: string }): Promise<UploadedMedia>;
  getMediaInfo(mediaId: string, opts?: { token?: string }): Promise<MediaInfo>;
  /** Downloads bytes from a media URL (bearer token required), refusing more than maxBytes. */
  downloadMedia(url: string, opts: { maxBytes: number; token?: string }): Promise<Buffer>;
  listTemplates(opts?: { wabaId?: string; token?: string; limit?: number }): Promise<GraphTemplate[]>;
  getPhoneNumber(opts?: { phoneNumberId?: string; token?: string }): Promise<PhoneNumberInfo>;
  debugToken(opts?: { token?: string }): Promise<TokenInfo>;
  /** `GET /{waba-id}/subscribed_apps`: the apps that receive this account's webhooks. */
  subscribedApps(opts?: { wabaId?: string; token?: string }): Promise<SubscribedApp[]>;
  /** `POST /{waba-id}/subscribed_apps`: subscribe the token's app to this account's webhooks. */
  subscribeApp(opts?: { wabaId?: string; token?: string }): Promise<void>;
}

export interface SubscribedApp {
  id: string;
  name?: string;
}

/** Options every call accepts: another number or token than the client's defaults, and a signal. */
export interface CallOptions {
  phoneNumberId?: string;
  token?: string;
  signal?: AbortSignal;
}

/** Options of the typed send helpers: `replyTo` quotes an earlier message (Meta's `context`). */
export interface SendOptions extends CallOptions {
  replyTo?: string;
}

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

export type MediaRef = ({ id: string; link?: undefined } | { link: string; id?: undefined }) & { caption?: string; filename?: string };

export interface TemplateMessage {
  name: string;
  language: string;
  /** Body parameters, in order ({{1}}, {{2}}, ...). */
  parameters?: string[];
  headerParameters?: string[];
  /** Parameters of dynamic URL buttons, one per button index. */
  buttonParameters?: string[];
}

export interface Location {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}
