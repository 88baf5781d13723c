/**
 * What ConnectDesk sent the owner's phone: forwards (one conversation), digests and `#list`
 * answers (numbered lines, one conversation each), notices. The owner's replies quote their
 * wamids, which say whom an answer is for; the admin app lists them as the forwarding log.
 */
import type { Knex } from 'knex';
import type { OwnerMessageJson, OwnerMessageKind } from '@connectdesk/shared';
import { newId } from '../../ids.ts';
import { advanceStatus } from '../status-advance.ts';
import type { PricingColumns } from './messages-repo.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { bool, fromJson, iso, ms } from '../json.ts';
import type { OwnerKey } from './owner-queue-repo.ts';

/** One conversation of an owner message, as stored (JSON). */
export interface StoredLine {
  n: number | null;
  conversation_id: string;
  /** The newest visitor message it carries: what a reply to this line quotes. */
  message_id: string;
  name: string;
  site: string;
  messages: number;
}

export interface OwnerMessageRow {
  id: string;
  phone_number_id: string;
  owner_wa_id: string;
  kind: OwnerMessageKind;
  status: OwnerMessageJson['status'];
  via_template: boolean | number;
  body: string;
  lines: string;
  conversation_id: string | null;
  message_id: string | null;
  wamid: string | null;
  in_reply_to: string | null;
  error_code: string | null;
  error_title: string | null;
  created_at: number | string;
  sent_at: number | string | null;
}

export interface NewOwnerMessage extends OwnerKey {
  kind: OwnerMessageKind;
  viaTemplate: boolean;
  body: string;
  lines: StoredLine[];
  /** The owner's message this answers (a command, an unplaceable reply). */
  inReplyTo?: string | null;
  at: number;
}

const NUMBERED: OwnerMessageKind[] = ['digest', 'list'];

export function linesOf(row: Pick<OwnerMessageRow, 'lines'>): StoredLine[] {
  return fromJson<StoredLine[]>(row.lines, []);
}

function ownerMessageJson(r: OwnerMessageRow): OwnerMessageJson {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    via_template: bool(r.via_template),
    text: r.body,
    lines: linesOf(r).map(({ message_id: _m, ...line }) => line),
    error: r.error_code ? { code: r.error_code, title: r.error_title ?? r.error_code } : null,
    created_at: iso(r.created_at)!,
    sent_at: iso(r.sent_at),
  };
}

export class OwnerMessagesRepo {
  constructor(private readonly db: Knex) {}

  async create(input: NewOwnerMessage, trx: Knex = this.db): Promise<OwnerMessageRow> {
    const single = input.kind === 'forward' ? input.lines[0] : undefined;
    const row: OwnerMessageRow = {
      id: newId(),
      phone_number_id: input.phoneNumberId,
      owner_wa_id: input.ownerWaId,
      kind: input.kind,
      status: 'queued',
      via_template: input.viaTemplate,
      body: input.body,
      lines: JSON.stringify(input.lines),
      conversation_id: single?.conversation_id ?? null,
      message_id: single?.message_id ?? null,
      wamid: null,
      in_reply_to: input.inReplyTo ?? null,
      error_code: null,
      error_title: null,
      created_at: input.at,
      sent_at: null,
    };
    await trx('owner_messages').insert(row);
    return row;
  }

  async byId(id: string, trx: Knex = this.db): Promise<OwnerMessageRow | null> {
    return (await trx<OwnerMessageRow>('owner_messages').where({ id }).first()) ?? null;
  }

  async byWamid(wamid: string, trx: Knex = this.db): Promise<OwnerMessageRow | null> {
    return (await trx<OwnerMessageRow>('owner_messages').where({ wamid }).first()) ?? null;
  }

  /** Has the owner's message with this wamid been answered already (Meta delivers some twice)? */
  async answered(ownerWamid: string): Promise<boolean> {
    return Boolean(await this.db('owner_messages').where({ in_reply_to: ownerWamid }).first('id'));
  }

  async markSent(id: string, wamid: string, at: number, trx: Knex = this.db): Promise<void> {
    await trx('owner_messages')
      .where({ id })
      .update({ wamid, sent_at: at, status: trx.raw("CASE WHEN status = 'queued' THEN 'sent' ELSE status END") });
  }

  /** Statuses only move forward; `failed` is final. Returns true when it changed. */
  /** Meta's pricing of this message (from its status webhooks), for the reports' cost estimate. */
  async setPricing(id: string, pricing: PricingColumns, trx: Knex = this.db): Promise<void> {
    await trx('owner_messages').where({ id }).update(pricing);
  }

  async applyStatus(id: string, status: string, error: { code: string; title: string } | null, trx: Knex = this.db): Promise<boolean> {
    const also = status === 'failed' && error ? { error_code: error.code.slice(0, 32), error_title: error.title.slice(0, 255) } : {};
    return advanceStatus(trx, 'owner_messages', id, status, also);
  }

  /** A forward or digest still on its way: new visitor messages wait, to be merged into the next one. */
  async forwardInFlight(key: OwnerKey): Promise<boolean> {
    const row: unknown = await this.db('owner_messages')
      .where({ phone_number_id: key.phoneNumberId, owner_wa_id: key.ownerWaId, status: 'queued' })
      .whereIn('kind', ['forward', 'digest'])
      .first('id');
    return Boolean(row);
  }

  /** Messages to this owner composed and not yet accepted by WhatsApp. */
  async countQueued(key: OwnerKey): Promise<number> {
    const row = (await this.db('owner_messages')
      .where({ phone_number_id: key.phoneNumberId, owner_wa_id: key.ownerWaId, status: 'queued' })
      .count({ n: '*' })
      .first()) as { n: unknown } | undefined;
    return Number(row?.n ?? 0);
  }

  /** The newest message that reached the phone, of these kinds (numbered: digests and lists). */
  async latestSent(key: OwnerKey, kinds: OwnerMessageKind[]): Promise<OwnerMessageRow | null> {
    return (
      (await this.db<OwnerMessageRow>('owner_messages')
        .where({ phone_number_id: key.phoneNumberId, owner_wa_id: key.ownerWaId })
        .whereIn('kind', kinds)
        .whereNotNull('sent_at')
        .whereNot({ status: 'failed' })
        .orderBy([
          { column: 'sent_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .first()) ?? null
    );
  }

  latestNumbered(key: OwnerKey): Promise<OwnerMessageRow | null> {
    return this.latestSent(key, NUMBERED);
  }

  /** When messages to this owner were accepted by Meta since `since` (to rebuild the budget after a restart). */
  async sentTimes(key: OwnerKey, since: number): Promise<number[]> {
    const rows = (await this.db('owner_messages')
      .where({ phone_number_id: key.phoneNumberId, owner_wa_id: key.ownerWaId })
      .andWhere('sent_at', '>=', since)
      .orderBy('sent_at')
      .select('sent_at')) as { sent_at: unknown }[];
    return rows.map((r) => ms(r.sent_at)!).filter((t) => t !== null);
  }

  /** The forwarding log, newest first. */
  async list(limit: number, cursor?: string | null): Promise<{ data: OwnerMessageJson[]; next_cursor: string | null }> {
    const after = decodeCursor(cursor);
    const q = this.db<OwnerMessageRow>('owner_messages')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
    if (after) q.where((w) => w.where('created_at', '<', after.at).orWhere((x) => x.where('created_at', after.at).andWhere('id', '<', after.id)));
    const rows = await q;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map(ownerMessageJson), next_cursor: rows.length > limit && last ? encodeCursor(Number(last.created_at), last.id) : null };
  }
}
