/**
 * The one typed REST client of the admin app. Same-origin cookie session; every error becomes an
 * ApiError with the server's `{ error: { code, message } }`; a 401 tells the app the session ended.
 */
import type {
  AgentPreferences,
  NotificationSettings,
  AdminSendMessage,
  AgentReplyJson,
  Checklist,
  ConnectInfo,
  ConversationFilters,
  CreateTokenInput,
  Health,
  NumberInput,
  OwnerForwarding,
  OwnerForwardingStatusJson,
  OwnerMessageJson,
  Page,
  PhoneInboxItem,
  SimulatedMessage,
  WidgetSettings,
} from './types.ts';
import type {
  AgentsReportJson,
  SandboxPhone,
  OwnerPhoneReportJson,
  ResponseTimesReportJson,
  SatisfactionReportJson,
  VolumeReportJson,
  WhatsAppReportJson,
  AgentList,
  AgentResponse,
  ApiTokenList,
  CannedResponseInput,
  CannedResponseList,
  CannedResponseResponse,
  ConversationPage,
  ConversationResponse,
  CreatedTokenResponse,
  CurrentSessionResponse,
  InvitedAgentResponse,
  InviteAgent,
  MediaList,
  MediaUploadResponse,
  MessagePage,
  MessageResponse,
  NotificationSettingsResponse,
  OwnerForwardingResponse,
  PreferencesResponse,
  PresenceList,
  Role,
  SatisfactionSettings,
  SatisfactionSettingsResponse,
  StatusResponse,
  SurveyCommentJson,
  TemplateList,
  TemplateSyncResponse,
  UnreadResponse,
  UserResponse,
  WebhookSubscription,
  WhatsAppAccount,
  WhatsAppNumberList,
  WhatsAppNumberResponse,
  WhatsAppRates,
  WhatsAppRatesResponse,
  WidgetSettingsResponse,
} from '@connectdesk/shared';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  fetch?: typeof fetch;
  /** Called on any 401 from an authenticated endpoint (session expired or signed out elsewhere). */
  onUnauthorized?: () => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function filtersToQuery(f: ConversationFilters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (f.status !== 'all') p.set('status', f.status);
  if (f.channel !== 'all') p.set('channel', f.channel);
  if (f.assignee !== 'all') p.set('assignee', f.assignee);
  if (f.q.trim()) p.set('q', f.q.trim());
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Each report's JSON, by the last part of its path (`GET /admin/api/reports/:kind`). */
export interface ReportJsonByKind {
  volume: VolumeReportJson;
  'response-times': ResponseTimesReportJson;
  agents: AgentsReportJson;
  whatsapp: WhatsAppReportJson;
  'owner-phone': OwnerPhoneReportJson;
  satisfaction: SatisfactionReportJson;
}

export type ReportKind = keyof ReportJsonByKind;

/** A report's period and filters (docs/API.md, Reports). */
export interface ReportParams {
  from: string;
  to: string;
  tz: string;
  channel?: 'web' | 'whatsapp' | null;
  agent_id?: string | null;
}

function reportQuery(q: ReportParams): string {
  const p = new URLSearchParams({ from: q.from, to: q.to, tz: q.tz });
  if (q.channel) p.set('channel', q.channel);
  if (q.agent_id) p.set('agent_id', q.agent_id);
  return p.toString();
}

export function createApi(opts: ApiOptions = {}) {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request<T>(method: Method, path: string, body?: unknown, init: { auth?: boolean; raw?: BodyInit } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let payload: BodyInit | undefined = init.raw;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await doFetch(path, { method, headers, body: payload, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      if (res.status === 401 && init.auth !== false) opts.onUnauthorized?.();
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `The server answered ${res.status}.`, err?.details);
    }
    return json as T;
  }

  const enc = encodeURIComponent;

  // Changing one's own password replaces this browser's session: the server cuts this browser's
  // socket (its old session ended) before the answer carrying the new cookie arrives. Asking who is
  // signed in meanwhile would send the old cookie and sign this browser out, so it waits.
  let replacingSession: Promise<unknown> = Promise.resolve();

  return {
    request,
    // session
    me: () => request<UserResponse>('GET', '/admin/api/me', undefined, { auth: false }),
    /** Who is signed in (null when nobody is), without a 401. */
    currentSession: async () => {
      await replacingSession;
      return request<CurrentSessionResponse>('GET', '/admin/api/session', undefined, { auth: false });
    },
    signIn: (email: string, password: string) => request<UserResponse>('POST', '/admin/api/session', { email, password }, { auth: false }),
    signOut: () => request<void>('DELETE', '/admin/api/session', undefined, { auth: false }),
    /** Ends every other session and API token of this user; this browser gets a fresh session. */
    changePassword: (current: string, next: string) => {
      const changed = request<UserResponse>('PUT', '/admin/api/me/password', { current_password: current, new_password: next });
      replacingSession = changed.catch(() => undefined);
      return changed;
    },
    health: () => request<Health>('GET', '/healthz', undefined, { auth: false }),

    // inbox
    conversations: (f: ConversationFilters, cursor?: string | null, extra: Record<string, string> = {}) =>
      request<ConversationPage>('GET', `/admin/api/conversations${filtersToQuery(f, { ...extra, ...(cursor ? { cursor } : {}) })}`),
    contactConversations: (contactId: string) => request<ConversationPage>('GET', `/admin/api/conversations?contact_id=${enc(contactId)}&limit=20`),
    conversation: (id: string) => request<ConversationResponse>('GET', `/admin/api/conversations/${enc(id)}`),
    updateConversation: (id: string, patch: { status?: 'open' | 'resolved'; assignee_id?: string | null }) =>
      request<ConversationResponse>('PATCH', `/admin/api/conversations/${enc(id)}`, patch),
    markRead: (id: string) => request<ConversationResponse>('POST', `/admin/api/conversations/${enc(id)}/read`),
    messages: (id: string, cursor?: string | null) =>
      request<MessagePage>('GET', `/admin/api/conversations/${enc(id)}/messages?limit=200${cursor ? `&cursor=${enc(cursor)}` : ''}`),
    sendMessage: (id: string, body: AdminSendMessage) => request<AgentReplyJson>('POST', `/admin/api/conversations/${enc(id)}/messages`, body),
    retryMessage: (id: string) => request<MessageResponse>('POST', `/admin/api/messages/${enc(id)}/retry`),
    uploadMedia: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return request<MediaUploadResponse>('POST', '/admin/api/media', undefined, { raw: form });
    },

    savedMedia: (kind: 'image' | 'video' | 'document') => request<MediaList>('GET', `/admin/api/media?kind=${kind}&limit=12`),
    // templates
    templates: () => request<TemplateList>('GET', '/admin/api/templates'),
    syncTemplates: () => request<TemplateSyncResponse>('POST', '/admin/api/templates/sync'),

    // team
    agents: () => request<AgentList>('GET', '/admin/api/agents'),
    inviteAgent: (input: InviteAgent) => request<InvitedAgentResponse>('POST', '/admin/api/agents', input),
    changeRole: (id: string, role: Role) => request<AgentResponse>('PATCH', `/admin/api/agents/${enc(id)}`, { role }),
    removeAgent: (id: string) => request<void>('DELETE', `/admin/api/agents/${enc(id)}`),
    tokens: () => request<ApiTokenList>('GET', '/admin/api/tokens'),
    createToken: (input: CreateTokenInput) => request<CreatedTokenResponse>('POST', '/admin/api/tokens', input),
    revokeToken: (id: string) => request<void>('DELETE', `/admin/api/tokens/${enc(id)}`),

    // settings
    widgetSettings: () => request<WidgetSettingsResponse>('GET', '/admin/api/settings/widget'),
    saveWidgetSettings: (s: WidgetSettings) => request<WidgetSettingsResponse>('PUT', '/admin/api/settings/widget', s),
    canned: () => request<CannedResponseList>('GET', '/admin/api/canned-responses'),
    createCanned: (c: CannedResponseInput) => request<CannedResponseResponse>('POST', '/admin/api/canned-responses', c),
    updateCanned: (id: string, c: CannedResponseInput) => request<CannedResponseResponse>('PUT', `/admin/api/canned-responses/${enc(id)}`, c),
    deleteCanned: (id: string) => request<void>('DELETE', `/admin/api/canned-responses/${enc(id)}`),
    numbers: () => request<WhatsAppNumberList>('GET', '/admin/api/settings/whatsapp-numbers'),
    createNumber: (n: NumberInput) => request<WhatsAppNumberResponse>('POST', '/admin/api/settings/whatsapp-numbers', n),
    updateNumber: (id: string, n: NumberInput) => request<WhatsAppNumberResponse>('PATCH', `/admin/api/settings/whatsapp-numbers/${enc(id)}`, n),
    removeNumber: (id: string) => request<void>('DELETE', `/admin/api/settings/whatsapp-numbers/${enc(id)}`),
    connectInfo: () => request<ConnectInfo>('GET', '/admin/api/settings/whatsapp-connect'),
    ownerForwarding: () => request<OwnerForwardingResponse>('GET', '/admin/api/settings/owner-forwarding'),
    saveOwnerForwarding: (s: OwnerForwarding) => request<OwnerForwardingResponse>('PUT', '/admin/api/settings/owner-forwarding', s),
    ownerForwardingStatus: () => request<OwnerForwardingStatusJson>('GET', '/admin/api/settings/owner-forwarding/status'),
    ownerForwardingLog: (cursor?: string | null) =>
      request<Page<OwnerMessageJson>>('GET', `/admin/api/settings/owner-forwarding/log?limit=20${cursor ? `&cursor=${enc(cursor)}` : ''}`),
    checklist: () => request<Checklist>('GET', '/admin/api/checklist'),
    whatsappAccount: () => request<WhatsAppAccount>('GET', '/admin/api/whatsapp/account'),
    subscribeWebhooks: () => request<WebhookSubscription>('POST', '/admin/api/whatsapp/subscription'),

    // the agent's day: unread counts, presence, notification preferences
    unread: () => request<UnreadResponse>('GET', '/admin/api/unread'),
    presence: () => request<PresenceList>('GET', '/admin/api/presence'),
    setStatus: (status: 'online' | 'away') => request<StatusResponse>('PUT', '/admin/api/me/status', { status }),
    preferences: () => request<PreferencesResponse>('GET', '/admin/api/me/preferences'),
    savePreferences: (patch: Partial<AgentPreferences>) => request<PreferencesResponse>('PATCH', '/admin/api/me/preferences', patch),
    notificationSettings: () => request<NotificationSettingsResponse>('GET', '/admin/api/settings/notifications'),
    saveNotificationSettings: (s: NotificationSettings) => request<NotificationSettingsResponse>('PUT', '/admin/api/settings/notifications', s),
    // reports
    report: <K extends ReportKind>(kind: K, q: ReportParams) => request<ReportJsonByKind[K]>('GET', `/admin/api/reports/${kind}?${reportQuery(q)}`),
    reportComments: (q: ReportParams, cursor?: string | null) =>
      request<Page<SurveyCommentJson>>('GET', `/admin/api/reports/satisfaction/comments?${reportQuery(q)}&limit=10${cursor ? `&cursor=${enc(cursor)}` : ''}`),
    satisfactionSettings: () => request<SatisfactionSettingsResponse>('GET', '/admin/api/settings/satisfaction'),
    saveSatisfactionSettings: (s: SatisfactionSettings) => request<SatisfactionSettingsResponse>('PUT', '/admin/api/settings/satisfaction', s),
    whatsappRates: () => request<WhatsAppRatesResponse>('GET', '/admin/api/settings/whatsapp-rates'),
    saveWhatsappRates: (r: WhatsAppRates) => request<WhatsAppRatesResponse>('PUT', '/admin/api/settings/whatsapp-rates', r),

    // sandbox (sandbox mode only)
    sandboxSend: (waId: string, message: SimulatedMessage) => request<unknown>('POST', `/sandbox/phones/${enc(waId)}/messages`, message, { auth: false }),
    sandboxInbox: async (waId: string): Promise<PhoneInboxItem[]> => {
      const res = await request<PhoneInboxItem[] | { data: PhoneInboxItem[] }>('GET', `/sandbox/phones/${enc(waId)}/inbox`, undefined, { auth: false });
      return Array.isArray(res) ? res : (res?.data ?? []);
    },
    /** The phone with its inbox and `last_typing_at` (WhatsApp's typing indicator). */
    sandboxPhone: (waId: string) => request<SandboxPhone>('GET', `/sandbox/phones/${enc(waId)}`, undefined, { auth: false }),
  };
}

export type Api = ReturnType<typeof createApi>;
