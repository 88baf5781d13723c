/**
 * "Nobody answered" e-mails, durably: one row per conversation per waiting stretch (unique on
 * conversation + `waiting_since`), so a stretch is e-mailed about once — across restarts and
 * across nodes. Rows are leased like the outbox: a node that dies mid-send leaves the row to be
 * claimed again once its lease runs out.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { dialectOf } from '../dialect.ts';
import { fromJson, ms, toJson } from '../json.ts';

export type AlertStatus = 'pending' | 'sent' | 'cancelled' | 'skipped' | 'failed';

interface AlertRow {
  id: string;
  conversation_id: string;
  waiting_since: number | string;
  status: AlertStatus;
  recipients: string | null;
  attempts: number;
  next_attempt_at: number | string;
  lease_until: number | string | null;
  last_error: string | null;
  created_at: number | string;
  sent_at: number | string | null;
}

export interface UnansweredAlert {
  id: string;
  conversationId: string;
  waitingSince: number;
  status: AlertStatus;
  recipients: string[];
  attempts: number;
  /** The lease this claim holds; finishing the row needs it. */
  leaseUntil: number | null;
}

function toAlert(r: AlertRow): UnansweredAlert {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    waitingSince: ms(r.waiting_since)!,
    status: r.status,
    recipients: fromJson<string[]>(r.recipients, []),
    attempts: Number(r.attempts),
    leaseUntil: ms(r.lease_until),
  };
}

export class UnansweredAlertsRepo {
  constructor(private readonly db: Knex) {}

  /**
   * Record an alert for every open conversation waiting since `cutoff` or earlier that has none
   * for its current stretch yet. Returns how many were added.
   */
  async recordDue(cutoff: number, limit: number, now = Date.now()): Promise<number> {
    // Literal conditions, matching the partial index conversations_waiting_idx.
    const due = (await this.db('conversations as v')
      .whereRaw("v.status = 'open' AND v.waiting_since IS NOT NULL")
      .andWhere('v.waiting_since', '<=', cutoff)
      .whereNotExists(
        this.db('unanswered_alerts as a').select(this.db.raw('1')).whereRaw('a.conversation_id = v.id').whereRaw('a.waiting_since = v.waiting_since'),
      )
      .orderBy('v.waiting_since')
      .limit(limit)
      .select('v.id', 'v.waiting_since')) as { id: string; waiting_since: number | string }[];
    if (due.length === 0) return 0;
    const rows = due.map((d) => ({
      id: newId(),
      conversation_id: d.id,
      waiting_since: ms(d.waiting_since),
      status: 'pending',
      recipients: null,
      attempts: 0,
      next_attempt_at: now,
      lease_until: null,
      last_error: null,
      created_at: now,
      sent_at: null,
    }));
    // Another node may record the same stretch at the same moment: the unique key keeps one.
    await this.db('unanswered_alerts').insert(rows).onConflict(['conversation_id', 'waiting_since']).ignore();
    return rows.length;
  }

  /** Lease up to `limit` due pending alerts (PostgreSQL skips rows another node is locking). */
  async claim(limit: number, leaseMs: number, now = Date.now()): Promise<UnansweredAlert[]> {
    const db = this.db;
    const claimable = (q: Knex.QueryBuilder) =>
      q
        .where('status', 'pending')
        .andWhere('next_attempt_at', '<=', now)
        .andWhere((w) => w.whereNull('lease_until').orWhere('lease_until', '<', now));
    const ids = claimable(db('unanswered_alerts').select('id'))
      .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
      .limit(limit);
    dialectOf(db).skipLockedRows(ids);
    const rows = (await claimable(db('unanswered_alerts'))
      .whereIn('id', ids)
      .update({ lease_until: now + leaseMs, attempts: db.raw('attempts + 1') })
      .returning('*')) as AlertRow[];
    return rows.map(toAlert);
  }

  /** Finish a claimed alert (only while this claim's lease is the row's). */
  async finish(
    alert: UnansweredAlert,
    status: Exclude<AlertStatus, 'pending'>,
    change: { recipients?: string[]; error?: string | null } = {},
  ): Promise<boolean> {
    const n = await this.db('unanswered_alerts')
      .where({ id: alert.id, status: 'pending', lease_until: alert.leaseUntil })
      .update({
        status,
        lease_until: null,
        ...(change.recipients ? { recipients: toJson(change.recipients) } : {}),
        last_error: change.error?.slice(0, 255) ?? null,
        ...(status === 'sent' ? { sent_at: Date.now() } : {}),
      });
    return n === 1;
  }

  /** Try again at `at` (the send failed for a reason that may pass). */
  async retryAt(alert: UnansweredAlert, at: number, error: string): Promise<void> {
    await this.db('unanswered_alerts')
      .where({ id: alert.id, status: 'pending', lease_until: alert.leaseUntil })
      .update({ lease_until: null, next_attempt_at: at, last_error: error.slice(0, 255) });
  }
}
