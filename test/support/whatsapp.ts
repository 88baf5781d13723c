/**
 * WhatsApp helpers for integration tests: signed webhook deliveries (as Meta signs them), the
 * embedded sandbox's simulated phones and faults, and quick reads of what the server stored.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor, type TestServer } from './server.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/pywa-updates');

export function sign(raw: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** POST a body to the webhook, signed with the server's app secret unless told otherwise. */
export async function postWebhook(
  s: TestServer,
  body: string | object,
  opts: { signature?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  const signature = opts.signature === undefined ? sign(raw, s.config.whatsapp.appSecret) : opts.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return s.fetch('/api/whatsapp/webhook', { method: 'POST', headers, body: raw });
}

/** A `messages` webhook for the server's configured number. */
export function messagesWebhook(s: TestServer, value: { messages?: object[]; statuses?: object[]; contacts?: object[] }): { object: string; entry: object[] } {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: s.config.whatsapp.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: s.config.whatsapp.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

let seq = 0;
/** A unique fake wamid. */
export function wamid(tag = 'test'): string {
  return `wamid.${tag}.${Date.now().toString(36)}.${(seq++).toString(36)}`;
}

/** An inbound text from a customer, with Meta's `timestamp` (seconds) defaulting to now. */
export function customerText(waId: string, text: string, opts: { id?: string; at?: number; name?: string; context?: object } = {}) {
  return {
    contacts: [{ profile: { name: opts.name ?? `Customer ${waId.slice(-4)}` }, wa_id: waId }],
    messages: [
      {
        from: waId,
        id: opts.id ?? wamid('in'),
        timestamp: String(Math.floor((opts.at ?? Date.now()) / 1000)),
        type: 'text',
        text: { body: text },
        ...(opts.context ? { context: opts.context } : {}),
      },
    ],
  };
}

/** Every fixture of the public corpus as [file, key, body text]. */
export function corpus(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const file of fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
    for (const [key, body] of Object.entries(doc)) out.push([file, key, JSON.stringify(body)]);
  }
  return out;
}

export async function phoneSend(s: TestServer, waId: string, message: object): Promise<{ wamid: string }> {
  const res = await s.fetch(`/sandbox/phones/${waId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  });
  if (res.status !== 200) throw new Error(`phone send failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { wamid: string };
}

export interface InboxEntry {
  wamid: string;
  type: string;
  text: string | null;
  template: { name: string; language: string; parameters: string[]; text: string } | null;
  context: { message_id: string } | null;
  status: string;
  errors: { code: number; title: string }[];
}

export async function phoneInbox(s: TestServer, waId: string): Promise<InboxEntry[]> {
  const res = await s.fetch(`/sandbox/phones/${waId}/inbox`);
  return (await res.json()) as InboxEntry[];
}

/** What a simulated phone sent to the business, and whether the business marked each read (blue ticks). */
export async function phoneSent(s: TestServer, waId: string): Promise<{ wamid: string; type: string; read_by_business: boolean }[]> {
  const res = await s.fetch(`/sandbox/phones/${waId}`);
  return ((await res.json()) as { outbox: { wamid: string; type: string; read_by_business: boolean }[] }).outbox;
}

/** Meta error code → how many Graph calls the embedded sandbox refused with it. */
export async function sandboxRefusals(s: TestServer): Promise<Record<string, number>> {
  const res = await s.fetch('/sandbox/');
  return ((await res.json()) as { refusals: Record<string, number> }).refusals;
}

export async function injectFault(s: TestServer, kind: 'http_500' | 'timeout' | 'rate_limit' | 'network', count: number): Promise<void> {
  const res = await s.fetch('/sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, count }) });
  if (res.status !== 201) throw new Error(`fault injection failed: ${res.status} ${await res.text()}`);
}

export async function clearFaults(s: TestServer): Promise<void> {
  await s.fetch('/sandbox/faults', { method: 'DELETE' });
}

/** The WhatsApp conversation of a wa_id, once it exists. */
export async function conversationOf(s: TestServer, waId: string, timeout = 10_000): Promise<any> {
  return waitFor(
    async () => {
      const res = await s.admin(`/admin/api/conversations?channel=whatsapp&limit=100`);
      return (res.body.data as any[]).find((c) => c.contact.wa_id === waId);
    },
    { timeout, message: `conversation of ${waId}` },
  );
}

export async function messagesOf(s: TestServer, conversationId: string): Promise<any[]> {
  const res = await s.admin(`/admin/api/conversations/${conversationId}/messages?limit=200`);
  if (res.status !== 200) throw new Error(`messages: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as any[];
}

/** The raw body of the stored webhook delivery that mentions `needle` once parsed (Meta escapes `/`). */
export async function storedWebhookWith(s: TestServer, needle: string): Promise<string> {
  return waitFor(async () => {
    const list = await s.admin('/admin/api/whatsapp/webhook-events?limit=200');
    for (const e of list.body.data as { id: string }[]) {
      const full = await s.admin(`/admin/api/whatsapp/webhook-events/${e.id}`);
      if (typeof full.body.body === 'string' && JSON.stringify(JSON.parse(full.body.body)).includes(needle)) return full.body.body as string;
    }
    return null;
  });
}
