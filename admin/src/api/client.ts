/**
 * The one typed REST client of the admin app. Same-origin cookie session; every error becomes an
 * ApiError with the server's `{ error: { code, message } }`; a 401 tells the app the session ended.
 */
import type {
  Agent,
  AdminSendMessage,
  ApiTokenJson,
  CannedResponse,
  Checklist,
  ConnectInfo,
  ConversationFilters,
  ConversationJson,
  Health,
  MessageJson,
  NumberInput,
  Page,
  PhoneInboxItem,
  SimulatedMessage,
  TemplateJson,
  User,
  WhatsAppNumberJson,
  WidgetSettings,
} from './types.ts';

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
    let json: unknown = null;
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

  return {
    request,
    // session
    me: () => request<{ user: User }>('GET', '/admin/api/me', undefined, { auth: false }),
    /** Who is signed in (null when nobody is), without a 401. */
    currentSession: () => request<{ user: User | null }>('GET', '/admin/api/session', undefined, { auth: false }),
    signIn: (email: string, password: string) => request<{ user: User }>('POST', '/admin/api/session', { email, password }, { auth: false }),
    signOut: () => request<void>('DELETE', '/admin/api/session', undefined, { auth: false }),
    health: () => request<Health>('GET', '/healthz', undefined, { auth: false }),

    // inbox
    conversations: (f: ConversationFilters, cursor?: string | null, extra: Record<string, string> = {}) =>
      request<Page<ConversationJson>>('GET', `/admin/api/conversations${filtersToQuery(f, { ...extra, ...(cursor ? { cursor } : {}) })}`),
    contactConversations: (contactId: string) =>
      request<Page<ConversationJson>>('GET', `/admin/api/conversations?contact_id=${enc(contactId)}&limit=20`),
    conversation: (id: string) => request<{ conversation: ConversationJson }>('GET', `/admin/api/conversations/${enc(id)}`),
    updateConversation: (id: string, patch: { status?: 'open' | 'resolved'; assignee_id?: string | null }) =>
      request<{ conversation: ConversationJson }>('PATCH', `/admin/api/conversations/${enc(id)}`, patch),
    markRead: (id: string) => request<{ conversation: ConversationJson }>('POST', `/admin/api/conversations/${enc(id)}/read`),
    messages: (id: string, cursor?: string | null) =>
      request<Page<MessageJson>>('GET', `/admin/api/conversations/${enc(id)}/messages?limit=200${cursor ? `&cursor=${enc(cursor)}` : ''}`),
    sendMessage: (id: string, body: AdminSendMessage) => request<{ message: MessageJson }>('POST', `/admin/api/conversations/${enc(id)}/messages`, body),
    retryMessage: (id: string) => request<{ message: MessageJson }>('POST', `/admin/api/messages/${enc(id)}/retry`),
    uploadMedia: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return request<{ media_id: string }>('POST', '/admin/api/media', undefined, { raw: form });
    },

    // templates
    templates: () => request<{ data: TemplateJson[] }>('GET', '/admin/api/templates'),
    syncTemplates: () => request<{ data?: TemplateJson[] }>('POST', '/admin/api/templates/sync'),

    // team
    agents: () => request<{ data: Agent[] }>('GET', '/admin/api/agents'),
    inviteAgent: (input: { email: string; name: string; role: 'admin' | 'agent' }) =>
      request<{ agent: Agent; password: string }>('POST', '/admin/api/agents', input),
    removeAgent: (id: string) => request<void>('DELETE', `/admin/api/agents/${enc(id)}`),
    tokens: () => request<{ data: ApiTokenJson[] }>('GET', '/admin/api/tokens'),
    createToken: (name: string) => request<{ token: string; api_token: ApiTokenJson }>('POST', '/admin/api/tokens', { name }),
    revokeToken: (id: string) => request<void>('DELETE', `/admin/api/tokens/${enc(id)}`),

    // settings
    widgetSettings: () => request<{ settings: WidgetSettings }>('GET', '/admin/api/settings/widget'),
    saveWidgetSettings: (s: WidgetSettings) => request<{ settings: WidgetSettings }>('PUT', '/admin/api/settings/widget', s),
    canned: () => request<{ data: CannedResponse[] }>('GET', '/admin/api/canned-responses'),
    createCanned: (c: { shortcut: string; text: string }) => request<{ canned_response: CannedResponse }>('POST', '/admin/api/canned-responses', c),
    updateCanned: (id: string, c: { shortcut: string; text: string }) =>
      request<{ canned_response: CannedResponse }>('PUT', `/admin/api/canned-responses/${enc(id)}`, c),
    deleteCanned: (id: string) => request<void>('DELETE', `/admin/api/canned-responses/${enc(id)}`),
    numbers: () => request<{ data: WhatsAppNumberJson[] }>('GET', '/admin/api/settings/whatsapp-numbers'),
    createNumber: (n: NumberInput) => request<{ number: WhatsAppNumberJson }>('POST', '/admin/api/settings/whatsapp-numbers', n),
    updateNumber: (id: string, n: NumberInput) => request<{ number: WhatsAppNumberJson }>('PATCH', `/admin/api/settings/whatsapp-numbers/${enc(id)}`, n),
    removeNumber: (id: string) => request<void>('DELETE', `/admin/api/settings/whatsapp-numbers/${enc(id)}`),
    connectInfo: () => request<ConnectInfo>('GET', '/admin/api/settings/whatsapp-connect'),
    checklist: () => request<Checklist>('GET', '/admin/api/checklist'),

    // sandbox (sandbox mode only)
    sandboxSend: (waId: string, message: SimulatedMessage) =>
      request<unknown>('POST', `/sandbox/phones/${enc(waId)}/messages`, message, { auth: false }),
    sandboxInbox: async (waId: string): Promise<PhoneInboxItem[]> => {
      const res = await request<PhoneInboxItem[] | { data: PhoneInboxItem[] }>('GET', `/sandbox/phones/${enc(waId)}/inbox`, undefined, { auth: false });
      return Array.isArray(res) ? res : (res?.data ?? []);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
