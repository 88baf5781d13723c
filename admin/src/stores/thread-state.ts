/** Pure rules of one conversation's messages: ordered, deduplicated, statuses merged in safely. */
import type { MessageErrorJson, MessageJson, MessageStatus } from '../api/types.ts';

const RANK: Record<string, number> = { queued: 0, received: 0, sent: 1, delivered: 2, read: 3 };

function order(a: MessageJson, b: MessageJson): number {
  const t = Date.parse(a.created_at) - Date.parse(b.created_at);
  return t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Insert or replace by id, oldest first. */
export function upsertMessage(list: MessageJson[], m: MessageJson): MessageJson[] {
  const i = list.findIndex((x) => x.id === m.id);
  if (i === -1) return [...list, m].sort(order);
  const next = [...list];
  // A stale copy (e.g. the POST answer arriving after a newer status event) must not move the status
  // back. A copy is a snapshot, never a retry: after `failed` only another status event moves it.
  const current = list[i]!.status;
  const keepStatus = current === 'failed' ? m.status !== 'failed' : !canMoveTo(current, m.status);
  next[i] = keepStatus ? { ...m, status: list[i]!.status, error: list[i]!.error } : m;
  return next;
}

export function mergeMessages(list: MessageJson[], incoming: MessageJson[]): MessageJson[] {
  return incoming.reduce(upsertMessage, list);
}

/**
 * Status events arrive out of order and more than once: only move forward (queued → sent →
 * delivered → read); failed is always shown; after a failure only a retry (back to queued or on) moves it.
 */
export function canMoveTo(from: MessageStatus, to: MessageStatus): boolean {
  if (from === to) return false;
  if (to === 'failed') return true;
  if (from === 'failed') return true;
  return (RANK[to] ?? -1) > (RANK[from] ?? -1);
}

export function applyStatus(list: MessageJson[], ev: { id: string; status: MessageStatus; error: MessageErrorJson | null }): MessageJson[] {
  const i = list.findIndex((m) => m.id === ev.id);
  if (i === -1 || !canMoveTo(list[i]!.status, ev.status)) return list;
  const next = [...list];
  next[i] = { ...list[i]!, status: ev.status, error: ev.status === 'failed' ? (ev.error ?? list[i]!.error) : null };
  return next;
}

/** The message a reply quotes, when it is in this thread. */
export function findQuoted(list: MessageJson[], ctx: MessageJson['context']): MessageJson | null {
  if (!ctx) return null;
  return list.find((m) => (ctx.message_id && m.id === ctx.message_id) || (ctx.wamid && m.wamid === ctx.wamid)) ?? null;
}
