/**
 * GraphClient: the WhatsApp Cloud API over HTTP (Meta's graph.facebook.com or the sandbox — only
 * the base URL differs). Every call has a timeout; Meta's errors become GraphApiError, failures
 * without a Meta answer GraphTransportError. Tokens never appear in error messages.
 */
import type { SendMessage, SendMessageResponse } from '@connectdesk/shared';
import { z } from 'zod';
import type {
  CallOptions,
  CloudApi,
  GraphTemplate,
  Location,
  MediaInfo,
  MediaKind,
  MediaRef,
  PhoneNumberInfo,
  SendOptions,
  SubscribedApp,
  TemplateMessage,
  TokenInfo,
  UploadedMedia,
} from './graph-api.ts';
import { failedCall, type GraphCall } from './graph-call.ts';
import { GraphApiError, GraphTransportError, MediaTooLargeError, UNEXPECTED_RESPONSE_CODE, errorFromResponse } from './graph-error.ts';

export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com, or `${serverUrl}/sandbox/graph` */
  baseUrl: string;
  version: string;
  token: string;
  phoneNumberId: string;
  wabaId: string;
  fetch?: typeof fetch;
  /** Per request, including reading the body. Default 10 s. */
  timeoutMs?: number;
  /** Told about every call once it ends (the Graph metrics). */
  observe?: (call: GraphCall) => void;
}

const PHONE_FIELDS =
  'id,display_phone_number,verified_name,quality_rating,messaging_limit_tier,code_verification_status,name_status,platform_type,throughput,account_mode';
const TEMPLATE_FIELDS = 'id,name,language,status,category,components,quality_score,parameter_format';
/** Hosts besides the base URL's own that may receive the token for media downloads (Meta's CDN). */
const MEDIA_HOSTS = /(^|\.)(fbsbx\.com|facebook\.com|whatsapp\.net|fbcdn\.net)$/i;
const MAX_TEMPLATE_PAGES = 100;

const SendResponseSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  // `wa_id` for a send to a phone number, `user_id` for one to a business-scoped user id (2026).
  contacts: z.array(z.object({ input: z.string(), wa_id: z.string().optional(), user_id: z.string().optional() })).default([]),
  messages: z.array(z.object({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});
const SuccessSchema = z.looseObject({ success: z.literal(true) });
const UploadSchema = z.object({ id: z.string().min(1) });
const MediaInfoSchema = z.looseObject({ id: z.string(), url: z.string().url(), mime_type: z.string(), sha256: z.string(), file_size: z.coerce.number() });
const TemplatePageSchema = z.object({
  data: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      language: z.string(),
      status: z.string(),
      category: z.string(),
      components: z.array(z.looseObject({ type: z.string() })).default([]),
    }),
  ),
  paging: z.object({ cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});
const PhoneSchema = z.looseObject({ id: z.string(), display_phone_number: z.string(), verified_name: z.string(), quality_rating: z.string() });
const SubscribedAppsSchema = z.object({
  data: z.array(z.looseObject({ whatsapp_business_api_data: z.looseObject({ id: z.string(), name: z.string().optional() }) })),
});
const DebugTokenSchema = z.object({
  data: z.looseObject({ is_valid: z.boolean(), type: z.string().optional(), expires_at: z.number().default(0), scopes: z.array(z.string()).default([]) }),
});

interface RequestSpec {
  /** The endpoint label of the call (GraphCall.endpoint). */
  endpoint: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  token?: string;
  signal?: AbortSignal;
}

export class GraphClient implements CloudApi {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly opts: GraphClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async sendMessage(body: SendMessage, opts: CallOptions = {}): Promise<SendMessageResponse> {
    const path = `/${opts.phoneNumberId ?? this.opts.phoneNumberId}/messages`;
    const res = await this.request({ endpoint: 'messages', method: 'POST', path, json: body, token: opts.token, signal: opts.signal });
    return parseResponse(SendResponseSchema, res, path);
  }

  sendText(to: string, text: string, opts: SendOptions & { previewUrl?: boolean } = {}): Promise<SendMessageResponse> {
    const body = { body: text, ...(opts.previewUrl === undefined ? {} : { preview_url: opts.previewUrl }) };
    return this.sendMessage(envelope(to, 'text', { text: body }, opts.replyTo), opts);
  }

  sendTemplate(to: string, template: TemplateMessage, opts: SendOptions = {}): Promise<SendMessageResponse> {
    const components: { type: 'header' | 'body' | 'button'; sub_type?: string; index?: string; parameters: { type: string; text: string }[] }[] = [];
    const textParams = (values: string[]) => values.map((text) => ({ type: 'text', text }));
    if (template.headerParameters?.length) components.push({ type: 'header', parameters: textParams(template.headerParameters) });
    if (template.parameters?.length) components.push({ type: 'body', parameters: textParams(template.parameters) });
    template.buttonParameters?.forEach((text, index) => {
      components.push({ type: 'button', sub_type: 'url', index: String(index), parameters: textParams([text]) });
    });
    const body = { name: template.name, language: { code: template.language }, ...(components.length ? { components } : {}) };
    return this.sendMessage(envelope(to, 'template', { template: body }, opts.replyTo), opts);
  }

  sendMedia(to: string, kind: MediaKind, media: MediaRef, opts: SendOptions = {}): Promise<SendMessageResponse> {
    return this.sendMessage(envelope(to, kind, { [kind]: media }, opts.replyTo), opts);
  }

  sendLocation(to: string, location: Location, opts: SendOptions = {}): Promise<SendMessageResponse> {
    return this.sendMessage(envelope(to, 'location', { location }, opts.replyTo), opts);
  }

  sendContacts(to: string, contacts: Record<string, unknown>[], opts: SendOptions = {}): Promise<SendMessageResponse> {
    return this.sendMessage(envelope(to, 'contacts', { contacts }, opts.replyTo), opts);
  }

  /** Reply buttons, lists, CTA URLs... `interactive` is Meta's object as is. */
  sendInteractive(to: string, interactive: { type: string } & Record<string, unknown>, opts: SendOptions = {}): Promise<SendMessageResponse> {
    return this.sendMessage(envelope(to, 'interactive', { interactive }, opts.replyTo), opts);
  }

  sendReaction(to: string, messageId: string, emoji: string, opts: CallOptions = {}): Promise<SendMessageResponse> {
    return this.sendMessage(envelope(to, 'reaction', { reaction: { message_id: messageId, emoji } }), opts);
  }

  async markRead(wamid: string, opts: CallOptions & { typingIndicator?: boolean } = {}): Promise<void> {
    const path = `/${opts.phoneNumberId ?? this.opts.phoneNumberId}/messages`;
    const json = {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: wamid,
      ...(opts.typingIndicator ? { typing_indicator: { type: 'text' } } : {}),
    };
    parseResponse(SuccessSchema, await this.request({ endpoint: 'mark_read', method: 'POST', path, json, token: opts.token, signal: opts.signal }), path);
  }

  async uploadMedia(data: Buffer, mime: string, filename: string, opts: CallOptions = {}): Promise<UploadedMedia> {
    const path = `/${opts.phoneNumberId ?? this.opts.phoneNumberId}/media`;
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', mime);
    form.set('file', new Blob([new Uint8Array(data)], { type: mime }), filename);
    return parseResponse(
      UploadSchema,
      await this.request({ endpoint: 'media_upload', method: 'POST', path, form, token: opts.token, signal: opts.signal }),
      path,
    );
  }

  async getMediaInfo(mediaId: string, opts: CallOptions = {}): Promise<MediaInfo> {
    const path = `/${encodeURIComponent(mediaId)}`;
    const res = await this.request({ endpoint: 'media_info', method: 'GET', path, token: opts.token, signal: opts.signal });
    return parseResponse(MediaInfoSchema, res, '/{media-id}');
  }

  /** Bytes behind a media URL from getMediaInfo; the token goes only to Meta's hosts or our base URL. */
  async downloadMedia(url: string, opts: { maxBytes: number; token?: string; signal?: AbortSignal }): Promise<Buffer> {
    const target = new URL(url);
    const base = new URL(this.baseUrl);
    const trusted = target.origin === base.origin || (target.protocol === 'https:' && MEDIA_HOSTS.test(target.hostname));
    if (!trusted) throw new Error(`refusing to send the access token to ${target.origin} for a media download`);
    return this.withTimeout(opts.signal, 'media download', 'media_download', async (signal, answered) => {
      const res = await this.fetchImpl(target, { headers: { authorization: `Bearer ${opts.token ?? this.opts.token}` }, signal });
      answered(res.status);
      if (!res.ok) throw errorFromResponse(res.status, await res.text(), 'media download');
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > opts.maxBytes) {
        await res.body?.cancel();
        throw new MediaTooLargeError(opts.maxBytes);
      }
      return readLimited(res, opts.maxBytes);
    });
  }

  /** Every template of the WhatsApp Business Account, following the cursors page by page. */
  async listTemplates(opts: { wabaId?: string; token?: string; limit?: number; signal?: AbortSignal } = {}): Promise<GraphTemplate[]> {
    const path = `/${opts.wabaId ?? this.opts.wabaId}/message_templates`;
    const all: GraphTemplate[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
      const query: Record<string, string> = { fields: TEMPLATE_FIELDS, limit: String(opts.limit ?? 100), ...(after ? { after } : {}) };
      const res = parseResponse(
        TemplatePageSchema,
        await this.request({ endpoint: 'message_templates', method: 'GET', path, query, token: opts.token, signal: opts.signal }),
        path,
      );
      all.push(...(res.data as GraphTemplate[]));
      // Follow the cursor ourselves rather than `paging.next`, so the token only goes to our base URL.
      after = res.paging?.next ? res.paging.cursors?.after : undefined;
      if (!after || seen.has(after)) return all;
      seen.add(after);
    }
    return all;
  }

  async getPhoneNumber(opts: CallOptions = {}): Promise<PhoneNumberInfo> {
    const path = `/${opts.phoneNumberId ?? this.opts.phoneNumberId}`;
    const res = await this.request({ endpoint: 'phone_number', method: 'GET', path, query: { fields: PHONE_FIELDS }, token: opts.token, signal: opts.signal });
    return parseResponse(PhoneSchema, res, '/{phone-number-id}');
  }

  async debugToken(opts: { token?: string; signal?: AbortSignal } = {}): Promise<TokenInfo> {
    const token = opts.token ?? this.opts.token;
    const res = await this.request({ endpoint: 'debug_token', method: 'GET', path: '/debug_token', query: { input_token: token }, token, signal: opts.signal });
    return parseResponse(DebugTokenSchema, res, '/debug_token').data;
  }

  async subscribedApps(opts: { wabaId?: string; token?: string; signal?: AbortSignal } = {}): Promise<SubscribedApp[]> {
    const path = `/${opts.wabaId ?? this.opts.wabaId}/subscribed_apps`;
    const res = parseResponse(
      SubscribedAppsSchema,
      await this.request({ endpoint: 'subscribed_apps', method: 'GET', path, token: opts.token, signal: opts.signal }),
      path,
    );
    return res.data.map((a) => ({
      id: a.whatsapp_business_api_data.id,
      ...(a.whatsapp_business_api_data.name ? { name: a.whatsapp_business_api_data.name } : {}),
    }));
  }

  async subscribeApp(opts: { wabaId?: string; token?: string; signal?: AbortSignal } = {}): Promise<void> {
    const path = `/${opts.wabaId ?? this.opts.wabaId}/subscribed_apps`;
    parseResponse(SuccessSchema, await this.request({ endpoint: 'subscribed_apps', method: 'POST', path, token: opts.token, signal: opts.signal }), path);
  }

  private async request(spec: RequestSpec): Promise<unknown> {
    const url = new URL(`${this.baseUrl}/${this.opts.version}${spec.path}`);
    for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
    const what = `${spec.method} ${spec.path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${spec.token ?? this.opts.token}`, accept: 'application/json' };
    let body: string | FormData | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form) {
      body = spec.form;
    }
    return this.withTimeout(spec.signal, what, spec.endpoint, async (signal, answered) => {
      const res = await this.fetchImpl(url, { method: spec.method, headers, body, signal });
      answered(res.status);
      const text = await res.text();
      if (!res.ok) throw errorFromResponse(res.status, text, what);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw unexpected(res.status, `${what}: the response is not JSON`);
      }
    });
  }

  /** `call` under the client's timeout and the caller's signal, with fetch failures mapped, reported to `observe`. */
  private async withTimeout<T>(
    callerSignal: AbortSignal | undefined,
    what: string,
    endpoint: string,
    call: (signal: AbortSignal, answered: (status: number) => void) => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    let status = 0;
    const report = (end: Pick<GraphCall, 'outcome' | 'code'>) => this.opts.observe?.({ endpoint, ...end, seconds: (performance.now() - started) / 1000 });
    try {
      const value = await this.mapFailures(callerSignal, what, (signal) => call(signal, (s) => (status = s)));
      report({ outcome: 'ok', code: String(status) });
      return value;
    } catch (err) {
      report(failedCall(err, callerSignal));
      throw err;
    }
  }

  /** Runs `fn` under the client's timeout (and the caller's signal); maps fetch failures. */
  private async mapFailures<T>(callerSignal: AbortSignal | undefined, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    try {
      return await fn(signal);
    } catch (err) {
      if (err instanceof GraphApiError || err instanceof GraphTransportError || err instanceof MediaTooLargeError) throw err;
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout.aborted) throw new GraphTransportError('timeout', `${what} timed out after ${this.timeoutMs} ms`, { cause: err });
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new GraphTransportError('network', `${what} failed: ${reason}`, { cause: err });
    }
  }
}

function envelope(to: string, type: string, content: Record<string, unknown>, replyTo?: string): SendMessage {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type,
    ...(replyTo ? { context: { message_id: replyTo } } : {}),
    ...content,
  } as SendMessage;
}

function parseResponse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw unexpected(200, `${what}: unexpected response shape${issue ? ` (${issue.path.join('.')}: ${issue.message})` : ''}`);
  }
  return parsed.data;
}

function unexpected(httpStatus: number, message: string): GraphApiError {
  return new GraphApiError({
    httpStatus,
    code: UNEXPECTED_RESPONSE_CODE,
    type: 'UnexpectedResponse',
    message,
    title: 'Unexpected response from the Graph API',
  });
}

async function readLimited(res: Response, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new MediaTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
