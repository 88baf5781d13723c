/**
 * The owner flow from the outside: visitors writing over HTTP, the owner's simulated phone (what
 * it received, what it sends back), and the admin API's forwarding log and status.
 */
import { expect } from 'vitest';
import type { OwnerForwardingStatusJson, OwnerMessageJson } from '@connectdesk/shared';
import { waitFor, type TestServer } from './server.ts';
import { phoneInbox, phoneSend, type InboxEntry } from './whatsapp.ts';

/** The sandbox's default owner phone (config.ts SANDBOX_OWNER_PHONE). */
export const OWNER = '15550100001';

export interface Visitor {
  visitor_token: string;
  conversation_id: string;
  message_id: string;
}

/** A visitor writes over HTTP, as from shop.example.com; `visitor` continues an earlier conversation. */
export async function visitorWrites(s: TestServer, text: string, opts: { name?: string; visitor?: Visitor } = {}): Promise<Visitor> {
  const res = await s.fetch('/api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://shop.example.com' },
    body: JSON.stringify({ text, ...(opts.name ? { name: opts.name } : {}), ...(opts.visitor ? { visitor_token: opts.visitor.visitor_token } : {}) }),
  });
  if (res.status !== 201) throw new Error(`visitor message refused: ${res.status} ${await res.text()}`);
  return (await res.json()) as Visitor;
}

/** The texts of a visitor's conversation, oldest first. */
async function historyOf(s: TestServer, v: Visitor): Promise<{ text: string; sender: string }[]> {
  const res = await s.fetch(`/api/messages?visitor_token=${v.visitor_token}`);
  return ((await res.json()) as { data: { text: string; sender: string }[] }).data.map((m) => ({ text: m.text, sender: m.sender }));
}

/** What the owner wrote that reached this visitor. */
export async function ownerRepliesTo(s: TestServer, v: Visitor): Promise<string[]> {
  return (await historyOf(s, v)).filter((m) => m.sender === 'owner').map((m) => m.text);
}

/** What the owner's phone shows: text, or a template's rendered text. */
export const shown = (m: InboxEntry) => m.text ?? m.template?.text ?? '';

/** The first message on the owner's phone that matches, among those after the first `after`. */
export async function ownerReceives(
  s: TestServer,
  match: (m: InboxEntry) => boolean,
  message = 'a message on the owner’s phone',
  after = 0,
): Promise<InboxEntry> {
  return waitFor(async () => (await phoneInbox(s, OWNER)).slice(after).find(match), { message, timeout: 20_000 });
}

/** How many messages the owner's phone has received so far. */
export async function ownerInboxSize(s: TestServer): Promise<number> {
  return (await phoneInbox(s, OWNER)).length;
}

/** The owner writes from the phone; `quote` makes it a swipe-reply. */
export function ownerSays(s: TestServer, text: string, quote?: InboxEntry): Promise<{ wamid: string }> {
  return phoneSend(s, OWNER, { type: 'text', text: { body: text }, ...(quote ? { context: { id: quote.wamid } } : {}) });
}

export async function ownerStatus(s: TestServer): Promise<OwnerForwardingStatusJson> {
  const res = await s.admin('/admin/api/settings/owner-forwarding/status');
  expect(res.status).toBe(200);
  return res.body as OwnerForwardingStatusJson;
}

/** The forwarding log, newest first (up to 200). */
export async function ownerLog(s: TestServer): Promise<OwnerMessageJson[]> {
  const res = await s.admin('/admin/api/settings/owner-forwarding/log?limit=200');
  expect(res.status).toBe(200);
  return res.body.data as OwnerMessageJson[];
}

/** Nothing waits for the owner and nothing is on its way. */
export async function ownerQueueDrained(s: TestServer, timeout = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const status = await ownerStatus(s);
      return status.waiting.messages === 0 && status.sending === 0;
    },
    { timeout, interval: 100, message: 'the owner queue to drain' },
  );
}

/** Runs `fn` over `items`, `concurrency` at a time, in order of start. */
export async function inPool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
