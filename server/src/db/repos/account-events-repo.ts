/**
 * What Meta told about the business account, newest first: bans, violations, restrictions,
 * quality and messaging-limit changes, throughput upgrades, display-name decisions and alerts —
 * the summary ConnectDesk wrote for admins with the payload as it came.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { fromJson, iso } from '../json.ts';

export type AccountEventSeverity = 'info' | 'warning' | 'critical';

export interface AccountEvent {
  id: string;
  field: string;
  event: string | null;
  wabaId: string | null;
  phoneNumber: string | null;
  severity: AccountEventSeverity;
  summary: string;
  payload: unknown;
  occurredAt: string;
}

export type NewAccountEvent = Omit<AccountEvent, 'id' | 'occurredAt'> & { occurredAt: number };

interface Row {
  id: string;
  field: string;
  event: string | null;
  waba_id: string | null;
  phone_number: string | null;
  severity: AccountEventSeverity;
  summary: string;
  payload: string;
  occurred_at: number | string;
  created_at: number | string;
}

export class AccountEventsRepo {
  constructor(private readonly db: Knex) {}

  async add(e: NewAccountEvent): Promise<void> {
    await this.db('account_events').insert({
      id: newId(),
      field: e.field.slice(0, 64),
      event: e.event?.slice(0, 64) ?? null,
      waba_id: e.wabaId?.slice(0, 32) ?? null,
      phone_number: e.phoneNumber?.slice(0, 32) ?? null,
      severity: e.severity,
      summary: e.summary.slice(0, 500),
      payload: JSON.stringify(e.payload),
      occurred_at: e.occurredAt,
      created_at: Date.now(),
    });
  }

  async latest(limit: number): Promise<AccountEvent[]> {
    const rows = await this.db<Row>('account_events')
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map((r) => ({
      id: r.id,
      field: r.field,
      event: r.event,
      wabaId: r.waba_id,
      phoneNumber: r.phone_number,
      severity: r.severity,
      summary: r.summary,
      payload: fromJson<unknown>(r.payload, null),
      occurredAt: iso(r.occurred_at)!,
    }));
  }
}
