/**
 * Visitor messages waiting for the owner's phone (conversations/owner/). A row is written in the
 * visitor message's own transaction and waits (`owner_message_id` null) until a forward or digest
 * carries it; carrying is a conditional update, so two nodes never send the same row twice.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { CompiledStatement } from '../compiled-statement.ts';

/** `forward`: send now; `digest`: with the next digest (policy `first`); `held`: arrived during quiet hours or a mute. */
export type QueueMode = 'forward' | 'digest' | 'held';

/** A waiting row with what a forward shows: the message text, the visitor's name and site. */
export interface WaitingItem {
  id: string;
  conversationId: string;
  messageId: string;
  mode: QueueMode;
  createdAt: number;
  body: string;
  name: string | null;
  site: string | null;
}

export interface OwnerKey {
  phoneNumberId: string;
  ownerWaId: string;
}

/** A conversation the owner has not answered since it wrote (for `#list`). */
export interface UnansweredConversation {
  conversationId: string;
  lastAt: number;
  messages: number;
  messageId: string;
  body: string;
  name: string | null;
  site: string | null;
}

/** Every forwarded visitor message is queued in its own transaction: compiled once (compiled-statement.ts). */
const ADD = new CompiledStatement<'id' | 'phoneNumberId' | 'ownerWaId' | 'conversationId' | 'messageId' | 'mode' | 'at'>((db, slot) =>
  db('owner_queue').insert({
    id: slot('id'),
    phone_number_id: slot('phoneNumberId'),
    owner_wa_id: slot('ownerWaId'),
    conversation_id: slot('conversationId'),
    message_id: slot('messageId'),
    mode: slot('mode'),
    created_at: slot('at'),
    owner_message_id: null,
  }),
);

export class OwnerQueueRepo {
  constructor(private readonly db: Knex) {}

  async add(input: OwnerKey & { conversationId: string; messageId: string; mode: QueueMode; at: number }, trx: Knex = this.db): Promise<void> {
    await ADD.rows(trx, { id: newId(), ...input });
  }

  /**
   * Is this the first visitor message since the conversation began or was last answered? The
   * message before it (by time) is then not one from the visitor.
   */
  async startsTurn(conversationId: string, messageId: string, trx: Knex = this.db): Promise<boolean> {
    const previous = (await trx('messages')
      .where({ conversation_id: conversationId, is_note: false })
      .whereNot({ id: messageId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first('direction', 'sender')) as { direction: string; sender: string } | undefined;
    return !previous || previous.direction !== 'inbound';
  }

  /** Owners with something waiting. */
  async ownersWaiting(): Promise<OwnerKey[]> {
    const rows = (await this.db('owner_queue').whereNull('owner_message_id').distinct('phone_number_id', 'owner_wa_id')) as {
      phone_number_id: string;
      owner_wa_id: string;
    }[];
    return rows.map((r) => ({ phoneNumberId: r.phone_number_id, ownerWaId: r.owner_wa_id }));
  }

  /** Everything waiting for one owner, oldest first. */
  async waiting(key: OwnerKey, limit = 5000): Promise<WaitingItem[]> {
    const rows = (await this.db('owner_queue as q')
      .join('messages as m', 'm.id', 'q.message_id')
      .join('conversations as v', 'v.id', 'q.conversation_id')
      .join('contacts as c', 'c.id', 'v.contact_id')
      .where({ 'q.phone_number_id': key.phoneNumberId, 'q.owner_wa_id': key.ownerWaId })
      .whereNull('q.owner_message_id')
      .orderBy([{ column: 'q.created_at' }, { column: 'q.id' }])
      .limit(limit)
      .select('q.id', 'q.conversation_id', 'q.message_id', 'q.mode', 'q.created_at', 'm.body', 'c.name', 'v.site')) as {
      id: string;
      conversation_id: string;
      message_id: string;
      mode: QueueMode;
      created_at: number | string;
      body: string;
      name: string | null;
      site: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      messageId: r.message_id,
      mode: r.mode,
      createdAt: Number(r.created_at),
      body: r.body,
      name: r.name,
      site: r.site,
    }));
  }

  /** Mark rows as carried by an owner message; false if any was taken meanwhile. */
  async carry(ids: string[], ownerMessageId: string, trx: Knex): Promise<boolean> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 500) {
      n += await trx('owner_queue')
        .whereIn('id', ids.slice(i, i + 500))
        .whereNull('owner_message_id')
        .update({ owner_message_id: ownerMessageId });
    }
    return n === ids.length;
  }

  async countWaiting(key: OwnerKey): Promise<{ conversations: number; messages: number }> {
    const row = (await this.db('owner_queue')
      .where({ phone_number_id: key.phoneNumberId, owner_wa_id: key.ownerWaId })
      .whereNull('owner_message_id')
      .first(this.db.raw('count(*) as messages'), this.db.raw('count(distinct conversation_id) as conversations'))) as
      { messages: unknown; conversations: unknown } | undefined;
    return { conversations: Number(row?.conversations ?? 0), messages: Number(row?.messages ?? 0) };
  }

  /**
   * Open conversations that wrote to this owner since `since` and were not answered after (by the
   * owner or an agent), latest first.
   */
  async unanswered(key: OwnerKey, since: number, limit: number): Promise<UnansweredConversation[]> {
    const db = this.db;
    const answered = db('messages as a')
      .select(db.raw('1'))
      .whereRaw('a.conversation_id = q.conversation_id')
      .andWhere('a.direction', 'outbound')
      .andWhere('a.is_note', false)
      .whereRaw('a.created_at >= q.created_at');
    const rows = (await db('owner_queue as q')
      .join('conversations as v', 'v.id', 'q.conversation_id')
      .where({ 'q.phone_number_id': key.phoneNumberId, 'q.owner_wa_id': key.ownerWaId, 'v.status': 'open' })
      .andWhere('q.created_at', '>=', since)
      .whereNotExists(answered)
      .groupBy('q.conversation_id')
      .orderBy('last_at', 'desc')
      .limit(limit)
      .select('q.conversation_id', db.raw('max(q.created_at) as last_at'), db.raw('count(*) as n'))) as {
      conversation_id: string;
      last_at: unknown;
      n: unknown;
    }[];
    if (!rows.length) return [];
    const details = (await db('owner_queue as q')
      .join('messages as m', 'm.id', 'q.message_id')
      .join('conversations as v', 'v.id', 'q.conversation_id')
      .join('contacts as c', 'c.id', 'v.contact_id')
      .whereIn(
        'q.conversation_id',
        rows.map((r) => r.conversation_id),
      )
      .andWhere({ 'q.phone_number_id': key.phoneNumberId, 'q.owner_wa_id': key.ownerWaId })
      .orderBy([
        { column: 'q.created_at', order: 'desc' },
        { column: 'q.id', order: 'desc' },
      ])
      .select('q.conversation_id', 'q.message_id', 'm.body', 'c.name', 'v.site')) as {
      conversation_id: string;
      message_id: string;
      body: string;
      name: string | null;
      site: string | null;
    }[];
    const newest = new Map<string, (typeof details)[number]>();
    for (const d of details) if (!newest.has(d.conversation_id)) newest.set(d.conversation_id, d);
    return rows.map((r) => {
      const d = newest.get(r.conversation_id)!;
      return {
        conversationId: r.conversation_id,
        lastAt: Number(r.last_at),
        messages: Number(r.n),
        messageId: d.message_id,
        body: d.body,
        name: d.name,
        site: d.site,
      };
    });
  }
}
