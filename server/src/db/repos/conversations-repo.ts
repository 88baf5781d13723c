import type { Knex } from 'knex';
import type { Channel } from '@connectdesk/shared';
import { WINDOW_MS } from '@connectdesk/shared';
import { newId } from '../../ids.ts';
import { CompiledStatement, rawRows } from '../compiled-statement.ts';
import { dialectOf } from '../dialect.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { ms } from '../json.ts';
import type { ContactRow } from './contacts-repo.ts';

export interface ConversationRow {
  id: string;
  channel: Channel;
  contact_id: string;
  whatsapp_number_id: string | null;
  owner_user_id: string | null;
  assignee_id: string | null;
  status: 'open' | 'resolved';
  last_customer_message_at: number | string | null;
  last_message_at: number | string;
  last_message_preview: string | null;
  unread_count: number;
  /** The first customer message since our side last wrote (null: answered, resolved or nothing yet). */
  waiting_since?: number | string | null;
  site: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** A conversation with its contact's columns, as the inbox shows it (presentation/conversation-json.ts). */
export type ConversationWithContact = ConversationRow & {
  c_name: string | null;
  c_wa_id: string | null;
  c_user_id: string | null;
  c_email: string | null;
  c_phone: string | null;
  c_consent: boolean | number;
  c_meta: string | null;
  c_phone_verified_at: number | string | null;
  c_marketing_opted_out_at: number | string | null;
  c_whatsapp_group_id: string | null;
};

/** The contact's columns a ConversationWithContact carries, by their name there. */
const CONTACT_COLUMNS = {
  c_name: 'name',
  c_wa_id: 'wa_id',
  c_user_id: 'user_id',
  c_email: 'email',
  c_phone: 'phone',
  c_consent: 'whatsapp_consent',
  c_meta: 'meta',
  c_phone_verified_at: 'phone_verified_at',
  c_marketing_opted_out_at: 'marketing_opted_out_at',
  c_whatsapp_group_id: 'whatsapp_group_id',
} as const satisfies Record<Exclude<keyof ConversationWithContact, keyof ConversationRow>, keyof ContactRow>;

/** A conversation and its contact, both read in the same transaction, as the join in `withContact` would return them. */
export function withContactRow(conversation: ConversationRow, contact: ContactRow): ConversationWithContact {
  const columns = Object.fromEntries(Object.entries(CONTACT_COLUMNS).map(([as, column]) => [as, contact[column] ?? null]));
  return { ...conversation, ...columns } as ConversationWithContact;
}

export interface ConversationFilter {
  status?: 'open' | 'resolved';
  channel?: Channel;
  assignee?: 'me' | 'unassigned' | (string & {});
  userId?: string;
  q?: string;
  contactId?: string;
}

interface TouchInput {
  at: number;
  preview: string;
  inbound: boolean;
  customerTimestamp?: number | null;
  reopen?: boolean;
  answered?: boolean;
  unreadBy?: number;
}

/** Which columns a touch changes: its statement's shape. */
interface TouchShape {
  inbound: boolean;
  reopen: boolean;
  answered: boolean;
  customer: boolean;
}

type TouchSlot = 'id' | 'at' | 'preview' | 'updatedAt' | 'unreadBy' | 'customerTimestamp';

/**
 * Every message touches its conversation: the statement is compiled once per shape and per
 * `returning` (compiled-statement.ts), at most 32 of them.
 */
const TOUCH_STATEMENTS = new Map<string, CompiledStatement<TouchSlot>>();

function touchStatement(input: TouchInput, returning: boolean): CompiledStatement<TouchSlot> {
  const shape: TouchShape = {
    inbound: input.inbound,
    reopen: input.reopen !== false,
    answered: input.answered !== false,
    customer: Boolean(input.customerTimestamp),
  };
  const key = `${+shape.inbound}${+shape.reopen}${+shape.answered}${+shape.customer}${+returning}`;
  let statement = TOUCH_STATEMENTS.get(key);
  if (!statement) {
    statement = new CompiledStatement<TouchSlot>((db, slot) => {
      const update = db('conversations')
        .where({ id: slot('id') })
        .update(touchPatch(shape, db, slot));
      return returning ? update.returning('*') : update;
    });
    TOUCH_STATEMENTS.set(key, statement);
  }
  return statement;
}

function touchValues(id: string, input: TouchInput): Record<TouchSlot, unknown> {
  return {
    id,
    at: input.at,
    preview: input.preview.slice(0, 200),
    updatedAt: Date.now(),
    unreadBy: input.unreadBy ?? 1,
    customerTimestamp: input.customerTimestamp ?? null,
  };
}

function touchPatch(shape: TouchShape, db: Knex, slot: (name: TouchSlot) => string): Record<string, unknown> {
  const at = slot('at');
  const patch: Record<string, unknown> = {
    last_message_at: db.raw('CASE WHEN last_message_at > ? THEN last_message_at ELSE ? END', [at, at]),
    last_message_preview: slot('preview'),
    updated_at: slot('updatedAt'),
  };
  if (shape.inbound) {
    patch.unread_count = db.raw('unread_count + ?', [slot('unreadBy')]);
    patch.waiting_since = db.raw('COALESCE(waiting_since, ?)', [at]);
    if (shape.reopen) patch.status = 'open';
  } else if (shape.answered) {
    patch.waiting_since = null;
  }
  if (shape.customer) {
    const ts = slot('customerTimestamp');
    patch.last_customer_message_at = db.raw(
      'CASE WHEN last_customer_message_at IS NULL OR last_customer_message_at < ? THEN ? ELSE last_customer_message_at END',
      [ts, ts],
    );
  }
  return patch;
}

/** Rows per multi-row INSERT, and values per IN list: well inside SQLite's and PostgreSQL's bind limits. */
const INSERT_CHUNK = 100;
const IN_CHUNK = 500;
/** Rows per touchManyInbound statement (4 bindings each). */
const TOUCH_CHUNK = 200;

/** The stored row of a new conversation (open, nothing unread). */
function conversationRow(input: {
  channel: Channel;
  contactId: string;
  whatsappNumberId?: string | null;
  ownerUserId?: string | null;
  site?: string | null;
  at?: number;
}): ConversationRow {
  const now = input.at ?? Date.now();
  return {
    id: newId(),
    channel: input.channel,
    contact_id: input.contactId,
    whatsapp_number_id: input.whatsappNumberId ?? null,
    owner_user_id: input.ownerUserId ?? null,
    assignee_id: null,
    status: 'open',
    last_customer_message_at: null,
    last_message_at: now,
    last_message_preview: null,
    unread_count: 0,
    site: input.site ?? null,
    created_at: now,
    updated_at: now,
  };
}

export class ConversationsRepo {
  constructor(private readonly db: Knex) {}

  private joined(trx: Knex = this.db) {
    return trx('conversations as v')
      .join('contacts as c', 'c.id', 'v.contact_id')
      .select('v.*', ...Object.entries(CONTACT_COLUMNS).map(([as, column]) => `c.${column} as ${as}`));
  }

  async byId(id: string, trx: Knex = this.db): Promise<ConversationRow | null> {
    return (await trx<ConversationRow>('conversations').where({ id }).first()) ?? null;
  }

  async withContact(id: string, trx: Knex = this.db): Promise<ConversationWithContact | null> {
    return ((await this.joined(trx).where('v.id', id).first()) as ConversationWithContact | undefined) ?? null;
  }

  /** The latest conversation of a contact on a channel (open or not), to continue it. */
  async latestFor(contactId: string, channel: Channel, trx: Knex = this.db): Promise<ConversationRow | null> {
    return (await trx<ConversationRow>('conversations').where({ contact_id: contactId, channel }).orderBy('last_message_at', 'desc').first()) ?? null;
  }

  async create(
    input: { channel: Channel; contactId: string; whatsappNumberId?: string | null; ownerUserId?: string | null; site?: string | null; at?: number },
    trx: Knex = this.db,
  ): Promise<ConversationRow> {
    const row = conversationRow(input);
    await trx('conversations').insert(row);
    return row;
  }

  /** Each contact's latest conversation on a channel (applying a batch of webhooks): contact id → row. */
  async latestForMany(contactIds: string[], channel: Channel, trx: Knex = this.db): Promise<Map<string, ConversationRow>> {
    const latest = new Map<string, ConversationRow>();
    for (let i = 0; i < contactIds.length; i += IN_CHUNK) {
      const rows = await trx<ConversationRow>('conversations')
        .where({ channel })
        .whereIn('contact_id', contactIds.slice(i, i + IN_CHUNK))
        .orderBy('last_message_at', 'desc');
      for (const r of rows) if (!latest.has(r.contact_id)) latest.set(r.contact_id, r);
    }
    return latest;
  }

  /** New conversations, in multi-row statements. */
  async createMany(inputs: Parameters<ConversationsRepo['create']>[0][], trx: Knex): Promise<ConversationRow[]> {
    const rows = inputs.map(conversationRow);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('conversations').insert(rows.slice(i, i + INSERT_CHUNK));
    return rows;
  }

  /** Conversations with their contacts, by id (the notices for a batch of messages). */
  async withContactMany(ids: string[], trx: Knex = this.db): Promise<Map<string, ConversationWithContact>> {
    const found = new Map<string, ConversationWithContact>();
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      for (const r of (await this.joined(trx).whereIn('v.id', ids.slice(i, i + IN_CHUNK))) as ConversationWithContact[]) found.set(r.id, r);
    }
    return found;
  }

  /**
   * Bump activity after a message. Inbound customer messages also move the window and unread count
   * and start a waiting stretch (`waiting_since`, kept from its first message); our side writing
   * (`inbound: false`, unless `answered: false` says it was not an answer) ends it.
   */
  async touch(id: string, input: TouchInput, trx: Knex = this.db): Promise<void> {
    await touchStatement(input, false).rows(trx, touchValues(id, input));
  }

  /** `touch`, returning the conversation as it now is (null: no such conversation): no read after it. */
  async touchAndRead(id: string, input: TouchInput, trx: Knex = this.db): Promise<ConversationRow | null> {
    return touchStatement(input, true).first<ConversationRow>(trx, touchValues(id, input));
  }

  /**
   * What `touch` does for customers' messages (inbound, reopening, not answered), for many
   * conversations in one statement per 200: a batch of webhooks changes hundreds of conversations,
   * and a statement each kept the transaction open across as many trips through a busy event loop.
   * `at` is when they were stored; each conversation its latest preview, how many messages it got
   * and the latest customer timestamp among them. Answers the conversations as they now are (the
   * agents' notice is built from them: no read after the commit).
   */
  async touchManyInbound(
    at: number,
    changes: { id: string; preview: string; count: number; customerTimestamp: number }[],
    trx: Knex = this.db,
  ): Promise<ConversationRow[]> {
    const touched: ConversationRow[] = [];
    const returning = dialectOf(trx).returningUpdated('conversations');
    for (let i = 0; i < changes.length; i += TOUCH_CHUNK) {
      const chunk = changes.slice(i, i + TOUCH_CHUNK);
      // The first row's casts type the columns on PostgreSQL; SQLite takes them as affinities.
      const rows = chunk.map((_, n) => (n === 0 ? '(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT))' : '(?, ?, ?, ?)')).join(', ');
      const updated: unknown = await trx.raw(
        `WITH t(id, preview, n, cts) AS (VALUES ${rows})
         UPDATE conversations SET
           last_message_at = CASE WHEN last_message_at > ? THEN last_message_at ELSE ? END,
           last_message_preview = t.preview,
           updated_at = ?,
           unread_count = unread_count + t.n,
           waiting_since = COALESCE(waiting_since, ?),
           status = 'open',
           last_customer_message_at = CASE WHEN last_customer_message_at IS NULL OR last_customer_message_at < t.cts THEN t.cts ELSE last_customer_message_at END
         FROM t WHERE conversations.id = t.id
         RETURNING ${returning}`,
        [...chunk.flatMap((c) => [c.id, c.preview.slice(0, 200), c.count, c.customerTimestamp]), at, at, Date.now(), at],
      );
      touched.push(...rawRows<ConversationRow>(updated));
    }
    return touched;
  }

  async update(id: string, patch: Partial<Pick<ConversationRow, 'status' | 'assignee_id' | 'unread_count'>>, trx: Knex = this.db): Promise<void> {
    // Resolving ends a waiting stretch: nobody is e-mailed about a conversation closed unanswered.
    const ends = patch.status === 'resolved' ? { waiting_since: null } : {};
    await trx('conversations')
      .where({ id })
      .update({ ...patch, ...ends, updated_at: Date.now() });
  }

  /**
   * Meta refused a free-form message as outside the 24-hour window (131047): it is the authority,
   * so the window is closed from now on, until the customer writes again. False when it already was.
   */
  async closeWindow(id: string, now: number, trx: Knex = this.db): Promise<boolean> {
    const closedAt = now - WINDOW_MS - 1;
    const n = await trx('conversations')
      .where({ id })
      .andWhere('last_customer_message_at', '>', closedAt)
      .update({ last_customer_message_at: closedAt, updated_at: now });
    return Number(n) > 0;
  }

  async list(filter: ConversationFilter, limit: number, cursor?: string | null): Promise<{ data: ConversationWithContact[]; next_cursor: string | null }> {
    const q = this.joined();
    if (filter.status) q.where('v.status', filter.status);
    if (filter.channel) q.where('v.channel', filter.channel);
    if (filter.contactId) q.where('v.contact_id', filter.contactId);
    if (filter.assignee === 'me' && filter.userId) q.where('v.assignee_id', filter.userId);
    else if (filter.assignee === 'unassigned') q.whereNull('v.assignee_id');
    else if (filter.assignee && filter.assignee !== 'me') q.where('v.assignee_id', filter.assignee);
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const digits = filter.q.replace(/\D/g, '');
      q.where((w) => {
        w.whereRaw("lower(c.name) like lower(?) escape '\\'", [like])
          .orWhereRaw("lower(c.email) like lower(?) escape '\\'", [like])
          .orWhereExists((sub) =>
            sub.select(this.db.raw('1')).from('messages as m').whereRaw('m.conversation_id = v.id').whereRaw("lower(m.body) like lower(?) escape '\\'", [like]),
          );
        if (digits.length >= 3) w.orWhere('c.wa_id', 'like', `%${digits}%`).orWhere('c.phone', 'like', `%${digits}%`);
      });
    }
    const c = decodeCursor(cursor);
    if (c) q.where((w) => w.where('v.last_message_at', '<', c.at).orWhere((w2) => w2.where('v.last_message_at', c.at).andWhere('v.id', '<', c.id)));
    const rows = (await q
      .orderBy([
        { column: 'v.last_message_at', order: 'desc' },
        { column: 'v.id', order: 'desc' },
      ])
      .limit(limit + 1)) as ConversationWithContact[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page,
      next_cursor: rows.length > limit && last ? encodeCursor(ms(last.last_message_at)!, last.id) : null,
    };
  }
}
