/**
 * The conversation as the widget shows it: stored messages (from history, acks and pushes) plus
 * the visitor's own messages still on their way. Pure functions; the session owns the array.
 */
import type { MessageJson, MessageStatus, QuickReplyChoice } from '@connectdesk/shared';

type OwnState = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

interface ChatMedia {
  url: string | null;
  mime: string | null;
  filename: string | null;
  /** Bytes, when the server knows them. */
  size?: number | null;
}

/** A place the agent shared (Meta's `location` object). */
export interface ChatLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

export interface ChatItem {
  /** Stable render key: the client_id for the visitor's own messages, else the server id. */
  key: string;
  id: string | null;
  clientId: string | null;
  /** Written by this visitor (inbound to the business). */
  mine: boolean;
  text: string;
  at: string;
  /** Delivery state of the visitor's own messages; null for everyone else's. */
  state: OwnState | null;
  author: string | null;
  media: ChatMedia | null;
  /** The words of the message this one answers (a quote), if any. */
  quote?: string | null;
  /** A local object URL previewing an image the visitor is uploading. */
  preview?: string | null;
  /** Why a message of the visitor's could not be sent. */
  error?: string | null;
  /** A shared location (its card loads on demand; `text` is its summary meanwhile). */
  loc?: ChatLocation;
  /** The quick reply this (unsent) message of the visitor's picked: a retry sends it again as that choice. */
  choice?: QuickReplyChoice;
  /** An agent message with quick replies: its content (read by the lazily loaded quick-replies.tsx). */
  offer?: unknown;
  /** Reactions on it: the agent's (`from: "agent"`) and the visitor's own (`from: "visitor"`). */
  reactions?: { emoji: string; from: string }[];
}

const RANK: Record<OwnState, number> = { sending: 0, sent: 1, delivered: 2, read: 3, failed: -1 };

function ownState(status: MessageStatus): OwnState {
  switch (status) {
    case 'delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'failed':
      return 'failed';
    default:
      // 'received' / 'queued' / 'sent': the server has it stored.
      return 'sent';
  }
}

/** A media message's own words: its caption (its `text` is a summary like "📎 file.pdf"). */
function mediaCaption(m: MessageJson): string {
  const part = (m.content as Record<string, { caption?: unknown } | undefined> | null)?.[m.type];
  return part && typeof part === 'object' ? (typeof part.caption === 'string' ? part.caption : '') : m.text;
}

export function fromServer(m: MessageJson): ChatItem {
  const mine = m.direction === 'inbound';
  return {
    key: (mine && m.client_id) || m.id,
    id: m.id,
    clientId: m.client_id,
    mine,
    text: m.deleted ? '' : m.media ? mediaCaption(m) : m.text,
    at: m.created_at,
    state: mine ? ownState(m.status) : null,
    author: mine ? null : m.author_name,
    media: m.media ? { url: m.media.url, mime: m.media.mime, filename: m.media.filename, size: m.media.size } : null,
    quote: m.context ? (m.context.text ?? '…') : null,
    loc: m.type === 'location' ? (m.content as { location?: ChatLocation } | null)?.location : undefined,
    offer: !mine && m.type === 'interactive' ? m.content : null,
    reactions: m.reactions,
  };
}

/** Stored items in time order, then the visitor's unsent ones in the order they were written. */
function order(items: ChatItem[]): ChatItem[] {
  const stored = items.filter((i) => i.id !== null).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return [...stored, ...items.filter((i) => i.id === null)];
}

function mergeState(prev: OwnState | null, next: OwnState | null): OwnState | null {
  if (!prev || !next) return next ?? prev;
  if (next === 'failed' || prev === 'failed' || prev === 'sending') return next;
  return RANK[next] >= RANK[prev] ? next : prev;
}

const sameMessage = (a: ChatItem, b: ChatItem) => (a.id !== null && a.id === b.id) || (a.clientId !== null && a.clientId === b.clientId);

/** Adds or updates one item (matched by server id or client_id). States only move forward. */
export function upsert(items: ChatItem[], item: ChatItem): ChatItem[] {
  const i = items.findIndex((x) => sameMessage(x, item));
  if (i < 0) return order([...items, item]);
  const prev = items[i]!;
  const next = { ...prev, ...item, key: prev.key, state: mergeState(prev.state, item.state), preview: item.preview ?? prev.preview ?? null };
  const copy = items.slice();
  copy[i] = next;
  return order(copy);
}

export function applyStatus(items: ChatItem[], id: string, status: MessageStatus): ChatItem[] {
  const state = ownState(status);
  return items.map((x) => (x.id === id && x.mine && x.state && (state === 'failed' || RANK[state] > RANK[x.state]) ? { ...x, state } : x));
}

/** The server's history replaces what we knew; our unsent messages stay unless history has them. */
export function mergeHistory(items: ChatItem[], history: MessageJson[]): ChatItem[] {
  let next = items.filter((i) => i.id === null);
  for (const m of history) if (!m.is_note) next = upsert(next, fromServer(m));
  return next;
}

/** Replies from the business newer than what the visitor has seen. */
export function unreadCount(items: ChatItem[], seenAt: string | null): number {
  return items.filter((i) => !i.mine && i.id !== null && (seenAt === null || i.at > seenAt)).length;
}

export function latestReply(items: ChatItem[]): ChatItem | null {
  for (let i = items.length - 1; i >= 0; i--) if (!items[i]!.mine && items[i]!.id !== null) return items[i]!;
  return null;
}
