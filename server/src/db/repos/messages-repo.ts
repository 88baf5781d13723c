import type { Knex } from 'knex';
import type { MessageJson, MessageStatus } from '@connectdesk/shared';
import { newId } from '../../ids.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { advanceStatus } from '../status-advance.ts';
import { dialectOf } from '../dialect.ts';
import { ms, toJson } from '../json.ts';

export interface MessageRow {
  id: string;
  conversation_id: string;
  direction: 'inbound' | 'outbound';
  sender: MessageJson['sender'];
  author_id: string | null;
  type: string;
  body: string;
  content: string | null;
  wamid: string | null;
  status: MessageStatus;
  error_code: string | null;
  error_title: string | null;
  error_detail: string | null;
  context_wamid: string | null;
  context_message_id: string | null;
  client_id: string | null;
  is_note: boolean | number;
  template_name: string | null;
  template_language: string | null;
  template_params: string | null;
  media_id: string | null;
  reactions: string | null;
  sent_at: number | string | null;
  edited_at: number | string | null;
  deleted_at: number | string | null;
  created_at: number | string;
}

export interface NewMessage {
  conversationId: string;
  /** The conversation's channel: not stored with the message, but counted (connectdesk_messages_total). */
  channel: 'web' | 'whatsapp';
  direction: 'inbound' | 'outbound';
  sender: MessageJson['sender'];
  authorId?: string | null;
  type: string;
  body: string;
  content?: unknown;
  wamid?: string | null;
  status: MessageStatus;
  contextWamid?: string | null;
  contextMessageId?: string | null;
  clientId?: string | null;
  isNote?: boolean;
  template?: { name: string; language: string; parameters: string[] } | null;
  mediaId?: string | null;
  sentAt?: number | null;
  createdAt?: number;
}

/** What a status webhook's `pricing` object is stored as, on messages and forwards. */
export interface PricingColumns {
  pricing_category: string | null;
  pricing_model: string | null;
  pricing_type: string | null;
  pricing_billable: boolean;
  pricing_country: string | null;
}

/** A message's file, as its JSON shows it. */
export interface MessageMediaRow {
  id: string;
  mime: string | null;
  size: number | string | null;
  filename: string | null;
  status: string;
}

export interface QuotedMessage {
  id: string;
  body: string;
  wamid: string | null;
}

export interface MessageRelations {
  media: Map<string, MessageMediaRow>;
  quoted: Map<string, QuotedMessage>;
  /** The agents who wrote these rows, by user id → display name. */
  authors: Map<string, string>;
}

export interface MessagesRepoOptions {
  /** Told about every message stored (the messages counter). */
  onStored?: (message: { direction: NewMessage['direction']; channel: NewMessage['channel'] }) => void;
}

/** Rows per multi-row INSERT, and values per IN list: well inside SQLite's and PostgreSQL's bind limits. */
const INSERT_CHUNK = 100;
const IN_CHUNK = 500;

/** The stored row of a new message. */
function messageRow(m: NewMessage): MessageRow {
  return {
    id: newId(),
    conversation_id: m.conversationId,
    direction: m.direction,
    sender: m.sender,
    author_id: m.authorId ?? null,
    type: m.type,
    body: m.body,
    content: toJson(m.content ?? null),
    wamid: m.wamid ?? null,
    status: m.status,
    error_code: null,
    error_title: null,
    error_detail: null,
    context_wamid: m.contextWamid ?? null,
    context_message_id: m.contextMessageId ?? null,
    client_id: m.clientId ?? null,
    is_note: m.isNote ?? false,
    template_name: m.template?.name ?? null,
    template_language: m.template?.language ?? null,
    template_params: m.template ? JSON.stringify(m.template.parameters) : null,
    media_id: m.mediaId ?? null,
    reactions: null,
    sent_at: m.sentAt ?? null,
    edited_at: null,
    deleted_at: null,
    created_at: m.createdAt ?? Date.now(),
  };
}

/** insertIntoLatest's columns: a message row's, but the conversation, which the select finds. Built once: a statement per message adds up. */
const INTO_LATEST_COLUMNS = (
  Object.keys(
    messageRow({ conversationId: '', channel: 'web', direction: 'inbound', sender: 'visitor', type: 'text', body: '', status: 'received' }),
  ) as (keyof MessageRow)[]
).filter((column) => column !== 'conversation_id');
const INSERT_INTO_LATEST =
  `insert into messages (conversation_id, ${INTO_LATEST_COLUMNS.join(', ')}) select c.id, ${INTO_LATEST_COLUMNS.map(() => '?').join(', ')} from conversations c` +
  ' where c.contact_id = ? and c.channel = ? order by c.last_message_at desc limit 1' +
  ' on conflict (conversation_id, client_id) do nothing returning conversation_id';

export class MessagesRepo {
  constructor(
    private readonly db: Knex,
    private readonly opts: MessagesRepoOptions = {},
  ) {}

  async insert(m: NewMessage, trx: Knex = this.db): Promise<MessageRow> {
    const row = messageRow(m);
    await trx('messages').insert(row);
    this.opts.onStored?.({ direction: m.direction, channel: m.channel });
    return row;
  }

  /**
   * Many messages in a few multi-row statements (applying a batch of webhooks), in the given order.
   * A wamid stored already fails the whole call (the unique index): callers check storedWamids first.
   */
  async insertMany(ms: NewMessage[], trx: Knex): Promise<MessageRow[]> {
    const rows = ms.map(messageRow);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('messages').insert(rows.slice(i, i + INSERT_CHUNK));
    for (const m of ms) this.opts.onStored?.({ direction: m.direction, channel: m.channel });
    return rows;
  }

  /**
   * A message of ours just got its wamid: replies that quoted that wamid before it was stored (the
   * customer answered faster than the send's answer reached us) now point at it. Returns their ids.
   */
  async linkQuotesOf(wamid: string, messageId: string, trx: Knex = this.db): Promise<string[]> {
    const ids = (await trx('messages').where({ context_wamid: wamid }).whereNull('context_message_id').select<{ id: string }[]>('id')).map((r) => r.id);
    if (ids.length) await trx('messages').whereIn('id', ids).update({ context_message_id: messageId });
    return ids;
  }

  /** Which of these wamids are stored already. */
  async storedWamids(wamids: string[], trx: Knex = this.db): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < wamids.length; i += IN_CHUNK) {
      for (const r of await trx('messages')
        .whereIn('wamid', wamids.slice(i, i + IN_CHUNK))
        .select<{ wamid: string }[]>('wamid'))
        found.add(r.wamid);
    }
    return found;
  }

  /**
   * Insert unless a message with this wamid is already stored (webhooks arrive more than once,
   * even concurrently): the unique index decides, in the one statement (`ON CONFLICT (wamid) DO
   * NOTHING`), so the caller's transaction goes on either way. Returns null for a duplicate; any
   * other unique key taken still fails.
   */
  async insertOnce(m: NewMessage & { wamid: string }, trx: Knex = this.db): Promise<MessageRow | null> {
    const row = messageRow(m);
    const inserted = (await trx('messages').insert(row).onConflict('wamid').ignore().returning('id')) as unknown[];
    if (!inserted.length) return null;
    this.opts.onStored?.({ direction: m.direction, channel: m.channel });
    return row;
  }

  /**
   * Like insert, for a message the client named (a widget's client_id): null, and nothing stored,
   * when that conversation holds that client_id already. One statement, so a retry after a lost ack
   * costs nothing more than a first send.
   */
  async insertUnlessClientId(m: NewMessage & { clientId: string }, trx: Knex): Promise<MessageRow | null> {
    const row = messageRow(m);
    const inserted = (await trx('messages').insert(row).onConflict(['conversation_id', 'client_id']).ignore().returning('id')) as unknown[];
    if (!inserted.length) return null;
    this.opts.onStored?.({ direction: m.direction, channel: m.channel });
    return row;
  }

  /**
   * insertUnlessClientId for the contact's latest conversation on the message's channel, which the
   * insert finds itself (`INSERT … SELECT`): one statement where a read and an insert were two, so
   * a visitor's message waits for the connection once less. Null when nothing was stored — the
   * contact has no such conversation yet, or it holds this client_id already (the caller tells
   * which) — and, without a query, where the dialect cannot bind a select list (PostgreSQL).
   */
  async insertIntoLatest(m: Omit<NewMessage, 'conversationId'>, contactId: string, trx: Knex): Promise<MessageRow | null> {
    if (!dialectOf(trx).insertSelectBindsAnyType) return null;
    const row = messageRow({ ...m, conversationId: '' });
    const bindings = INTO_LATEST_COLUMNS.map((column) => row[column]);
    bindings.push(contactId, m.channel);
    const [inserted] = (await trx.raw(INSERT_INTO_LATEST, bindings)) as { conversation_id: string }[];
    if (!inserted) return null;
    this.opts.onStored?.({ direction: m.direction, channel: m.channel });
    row.conversation_id = inserted.conversation_id;
    return row;
  }

  async byId(id: string, trx: Knex = this.db): Promise<MessageRow | null> {
    return (await trx<MessageRow>('messages').where({ id }).first()) ?? null;
  }

  /** The message a reply may quote: one of that conversation's, not a note; null for anything else. */
  async quotable(conversationId: string, id: string): Promise<MessageRow | null> {
    const row = await this.byId(id);
    return row && row.conversation_id === conversationId && !row.is_note ? row : null;
  }

  async byWamid(wamid: string, trx: Knex = this.db): Promise<MessageRow | null> {
    return (await trx<MessageRow>('messages').where({ wamid }).first()) ?? null;
  }

  async byClientId(conversationId: string, clientId: string, trx: Knex = this.db): Promise<MessageRow | null> {
    return (await trx<MessageRow>('messages').where({ conversation_id: conversationId, client_id: clientId }).first()) ?? null;
  }

  async setWamid(id: string, wamid: string, trx: Knex = this.db): Promise<void> {
    await trx('messages').where({ id }).update({ wamid, sent_at: Date.now() });
  }

  /** Moves the status forward only; returns true when it changed. */
  async applyStatus(
    id: string,
    to: MessageStatus,
    error?: { code: string; title: string; detail: string | null } | null,
    trx: Knex = this.db,
  ): Promise<boolean> {
    const also = to === 'failed' && error ? { error_code: error.code, error_title: error.title, error_detail: error.detail } : {};
    return advanceStatus(trx, 'messages', id, to, also);
  }

  /** Meta's pricing object from a status webhook (category, model, billable) and the recipient's country. */
  async setPricing(id: string, pricing: PricingColumns, trx: Knex = this.db): Promise<void> {
    await trx('messages').where({ id }).update(pricing);
  }

  /** Put a failed message back in the queue (agent pressed Retry). */
  async requeue(id: string, trx: Knex = this.db): Promise<void> {
    await trx('messages').where({ id }).update({ status: 'queued', error_code: null, error_title: null, error_detail: null, wamid: null });
  }

  async update(id: string, patch: Partial<MessageRow>, trx: Knex = this.db): Promise<void> {
    await trx('messages').where({ id }).update(patch);
  }

  async list(
    conversationId: string,
    limit: number,
    cursor?: string | null,
    opts: { includeNotes?: boolean } = {},
  ): Promise<{ data: MessageRow[]; next_cursor: string | null }> {
    const q = this.db<MessageRow>('messages').where({ conversation_id: conversationId });
    if (!opts.includeNotes) q.andWhere('is_note', false);
    const c = decodeCursor(cursor);
    if (c) q.andWhere((w) => w.where('created_at', '>', c.at).orWhere((w2) => w2.where('created_at', c.at).andWhere('id', '>', c.id)));
    const rows = await q
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page, next_cursor: rows.length > limit && last ? encodeCursor(ms(last.created_at)!, last.id) : null };
  }

  /** The latest `limit` messages, oldest first (what a chat window shows on open). */
  async latest(conversationId: string, limit: number, opts: { includeNotes?: boolean } = {}): Promise<MessageRow[]> {
    const q = this.db<MessageRow>('messages').where({ conversation_id: conversationId });
    if (!opts.includeNotes) q.andWhere('is_note', false);
    const rows = await q
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.reverse();
  }

  /** Ids of our messages a web visitor has now seen: outbound, not notes, sent or delivered, written at or before `upTo`. */
  async unreadOutboundUpTo(conversationId: string, upTo: number | string): Promise<string[]> {
    const rows = await this.db<MessageRow>('messages')
      .where({ conversation_id: conversationId, direction: 'outbound', is_note: false })
      .whereIn('status', ['sent', 'delivered'])
      .andWhere('created_at', '<=', upTo)
      .select('id');
    return rows.map((r) => r.id);
  }

  /** Mark the visitor's received messages of a conversation read (an agent opened it); returns their ids. */
  async markInboundRead(conversationId: string): Promise<string[]> {
    const unread = await this.db<MessageRow>('messages').where({ conversation_id: conversationId, direction: 'inbound', status: 'received' }).select('id');
    if (unread.length === 0) return [];
    const ids = unread.map((r) => r.id);
    await this.db('messages').whereIn('id', ids).andWhere('status', 'received').update({ status: 'read' });
    return ids;
  }

  /** The media, quoted messages and authors these rows point at, in three queries (for their JSON). */
  async relatedTo(rows: MessageRow[], trx: Knex = this.db): Promise<MessageRelations> {
    const mediaIds = [...new Set(rows.map((r) => r.media_id).filter((x): x is string => Boolean(x)))];
    const media = new Map<string, MessageMediaRow>();
    if (mediaIds.length) for (const m of await trx<MessageMediaRow>('media').whereIn('id', mediaIds)) media.set(m.id, m);
    const ctxIds = [...new Set(rows.map((r) => r.context_message_id).filter((x): x is string => Boolean(x)))];
    const quoted = new Map<string, QuotedMessage>();
    if (ctxIds.length) for (const q of await trx('messages').whereIn('id', ctxIds).select<QuotedMessage[]>('id', 'body', 'wamid')) quoted.set(q.id, q);
    const authorIds = [...new Set(rows.map((r) => r.author_id).filter((x): x is string => Boolean(x)))];
    const authors = new Map<string, string>();
    if (authorIds.length)
      for (const u of await trx('users').whereIn('id', authorIds).select<{ id: string; name: string }[]>('id', 'name')) authors.set(u.id, u.name);
    return { media, quoted, authors };
  }
}
