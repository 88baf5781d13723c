/**
 * The durable outbox: every send to the Cloud API is a row here first. Workers lease rows
 * (lease_owner + lease_expires_at, set atomically), so a crashed worker's rows are claimed again
 * once the lease runs out, and several nodes never send the same row at once. Per recipient the
 * queue is strictly first-in first-out: only the oldest pending row of a (number, recipient) pair
 * can be claimed, so replies arrive in the order agents wrote them.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { dialectOf } from '../dialect.ts';
import { fromJson, ms } from '../json.ts';

/** `owner`: a message to the owner's phone (owner_messages); `forward`/`notice`: the same, queued before owner_messages existed; `reaction`: an agent's reaction (stored on its target message, so no message_id). */
type OutboxKind = 'message' | 'owner' | 'forward' | 'notice' | 'mark_read' | 'reaction';
type OutboxStatus = 'pending' | 'done' | 'failed';

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  message_id: string | null;
  forward_id: string | null;
  owner_message_id: string | null;
  phone_number_id: string;
  to_wa_id: string | null;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number | string;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  last_error: string | null;
  /** The request (or socket event, or applied webhook) that queued this send; logged when it is sent. */
  request_id: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** What the outbox holds right now (the metrics read it at every scrape). */
export interface OutboxStats {
  pending: number;
  /** created_at of the oldest pending row (ms), or null when nothing is pending. */
  oldestPendingAt: number | null;
}

export interface NewOutboxItem {
  kind: OutboxKind;
  messageId?: string | null;
  forwardId?: string | null;
  ownerMessageId?: string | null;
  phoneNumberId: string;
  /** null for calls that are not messages to someone (mark as read): they skip the recipient queue. */
  toWaId: string | null;
  payload: unknown;
  notBefore?: number;
  /** Who asked for this send (http/request-id.ts), so the send can be traced back to it. */
  requestId?: string | null;
}

export class OutboxRepo {
  constructor(private readonly db: Knex) {}

  async enqueue(item: NewOutboxItem, trx: Knex = this.db): Promise<OutboxRow> {
    const now = Date.now();
    const row: OutboxRow = {
      id: newId(),
      kind: item.kind,
      message_id: item.messageId ?? null,
      forward_id: item.forwardId ?? null,
      owner_message_id: item.ownerMessageId ?? null,
      phone_number_id: item.phoneNumberId,
      to_wa_id: item.toWaId,
      payload: JSON.stringify(item.payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: item.notBefore ?? now,
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
      request_id: item.requestId ?? null,
      created_at: now,
      updated_at: now,
    };
    await trx('outbox').insert(row);
    return row;
  }

  /**
   * Lease up to `limit` due rows for `owner` in one statement and count the attempt (the job store
   * of the outbox worker, jobs/job.ts). Rows another node is claiming are skipped (dialect.ts).
   */
  async claim(owner: string, limit: number, leaseMs: number, now = Date.now()): Promise<OutboxRow[]> {
    const db = this.db;
    const claimable = (q: Knex.QueryBuilder, prefix: string) =>
      q
        .where(`${prefix}status`, 'pending')
        .andWhere(`${prefix}next_attempt_at`, '<=', now)
        .andWhere((w) => w.whereNull(`${prefix}lease_expires_at`).orWhere(`${prefix}lease_expires_at`, '<', now));
    const ids = claimable(db('outbox as o').select('o.id'), 'o.')
      .whereNotExists(
        db('outbox as p')
          .select(db.raw('1'))
          .whereRaw('p.phone_number_id = o.phone_number_id')
          .whereRaw('p.to_wa_id = o.to_wa_id')
          .andWhere('p.status', 'pending')
          .whereRaw('p.id < o.id'),
      )
      .orderBy([{ column: 'o.next_attempt_at' }, { column: 'o.id' }])
      .limit(limit);
    dialectOf(db).skipLockedRows(ids);
    const rows = (await claimable(db('outbox'), '')
      .whereIn('id', ids)
      .update({ lease_owner: owner, lease_expires_at: now + leaseMs, attempts: db.raw('attempts + 1'), updated_at: now })
      .returning('*')) as OutboxRow[];
    return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async byId(id: string, trx: Knex = this.db): Promise<OutboxRow | null> {
    return (await trx<OutboxRow>('outbox').where({ id }).first()) ?? null;
  }

  /** Sent: the row is finished. Only the lease holder may finish it. */
  async complete(id: string, owner: string, trx: Knex = this.db): Promise<boolean> {
    const n = await trx('outbox')
      .where({ id, lease_owner: owner })
      .update({ status: 'done', lease_owner: null, lease_expires_at: null, last_error: null, updated_at: Date.now() });
    return n > 0;
  }

  /** A temporary failure: try again at `nextAttemptAt`. */
  async reschedule(id: string, owner: string, nextAttemptAt: number, error: string, trx: Knex = this.db): Promise<boolean> {
    const n = await trx('outbox')
      .where({ id, lease_owner: owner })
      .update({
        status: 'pending',
        next_attempt_at: nextAttemptAt,
        lease_owner: null,
        lease_expires_at: null,
        last_error: error.slice(0, 2000),
        updated_at: Date.now(),
      });
    return n > 0;
  }

  /** Not sent, and not a failure (a budget said "not yet"): due again at `at`, the attempt not counted. */
  async defer(id: string, owner: string, at: number, trx: Knex = this.db): Promise<boolean> {
    const n = await trx('outbox')
      .where({ id, lease_owner: owner })
      .update({
        status: 'pending',
        next_attempt_at: at,
        lease_owner: null,
        lease_expires_at: null,
        attempts: trx.raw('CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END'),
        updated_at: Date.now(),
      });
    return n > 0;
  }

  /** A number's waiting sends are due now (its sending was paused and a valid token was saved). */
  async resumeNumber(phoneNumberId: string, now = Date.now()): Promise<number> {
    return this.db('outbox')
      .where({ phone_number_id: phoneNumberId, status: 'pending' })
      .andWhere('next_attempt_at', '>', now)
      .andWhere((w) => w.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now))
      .update({ next_attempt_at: now, updated_at: now });
  }

  /** A permanent failure, or attempts exhausted. */
  async fail(id: string, owner: string, error: string, trx: Knex = this.db): Promise<boolean> {
    const n = await trx('outbox')
      .where({ id, lease_owner: owner })
      .update({ status: 'failed', lease_owner: null, lease_expires_at: null, last_error: error.slice(0, 2000), updated_at: Date.now() });
    return n > 0;
  }

  /** The earliest moment a pending row becomes claimable (due time or lease expiry), or null. */
  async nextWakeAt(): Promise<number | null> {
    const row = (await this.db('outbox')
      .where('status', 'pending')
      .select(
        this.db.raw('min(CASE WHEN lease_expires_at IS NOT NULL AND lease_expires_at > next_attempt_at THEN lease_expires_at ELSE next_attempt_at END) as at'),
      )
      .first()) as { at: unknown } | undefined;
    return ms(row?.at);
  }

  async stats(): Promise<OutboxStats> {
    const row = (await this.db('outbox').where('status', 'pending').select(this.db.raw('count(*) as n, min(created_at) as oldest')).first()) as
      { n: number | string; oldest: unknown } | undefined;
    return { pending: Number(row?.n ?? 0), oldestPendingAt: ms(row?.oldest) };
  }

  /** The latest outbox row of a message (its payload is what Retry sends again). */
  async latestForMessage(messageId: string, trx: Knex = this.db): Promise<OutboxRow | null> {
    return (await trx<OutboxRow>('outbox').where({ message_id: messageId }).orderBy('id', 'desc').first()) ?? null;
  }
}

export function outboxPayload<T>(row: OutboxRow): T {
  return fromJson<T>(row.payload, {} as T);
}
