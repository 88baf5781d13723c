/**
 * The owner's own 24-hour window with the business number (free-form forwards inside it,
 * templates outside), and the forwards of single visitor messages sent before owner_messages
 * existed: the owner may still swipe-reply to those, and their statuses still arrive.
 */
import type { Knex } from 'knex';
import { ms } from '../json.ts';
import { advanceStatus } from '../status-advance.ts';
import type { PricingColumns } from './messages-repo.ts';

export interface ForwardRow {
  id: string;
  message_id: string;
  conversation_id: string;
  to_wa_id: string;
  wamid: string | null;
  status: string;
  error_code: string | null;
  error_title: string | null;
  created_at: number | string;
}

export class ForwardsRepo {
  constructor(private readonly db: Knex) {}

  async byId(id: string, trx: Knex = this.db): Promise<ForwardRow | null> {
    return (await trx<ForwardRow>('forwards').where({ id }).first()) ?? null;
  }

  async byWamid(wamid: string, trx: Knex = this.db): Promise<ForwardRow | null> {
    return (await trx<ForwardRow>('forwards').where({ wamid }).first()) ?? null;
  }

  async markSent(id: string, wamid: string, trx: Knex = this.db): Promise<void> {
    await trx('forwards').where({ id }).update({ wamid, status: 'sent' });
  }

  /** Statuses only move forward, as for messages. Returns true when it changed. */
  async applyStatus(id: string, status: string, error: { code: string; title: string } | null, trx: Knex = this.db): Promise<boolean> {
    const also = status === 'failed' && error ? { error_code: error.code.slice(0, 32), error_title: error.title.slice(0, 255) } : {};
    return advanceStatus(trx, 'forwards', id, status, also);
  }

  async setPricing(id: string, pricing: PricingColumns, trx: Knex = this.db): Promise<void> {
    await trx('forwards').where({ id }).update(pricing);
  }

  // --- the owner's own window ---

  /** Record that the owner wrote to the business at `at` (Meta's timestamp); only moves forward. */
  async touchOwnerWindow(phoneNumberId: string, waId: string, at: number, trx: Knex = this.db): Promise<void> {
    const now = Date.now();
    await trx('owner_windows')
      .insert({ phone_number_id: phoneNumberId, wa_id: waId, last_inbound_at: at, updated_at: now })
      .onConflict(['phone_number_id', 'wa_id'])
      .merge({
        last_inbound_at: trx.raw('CASE WHEN owner_windows.last_inbound_at > ? THEN owner_windows.last_inbound_at ELSE ? END', [at, at]),
        updated_at: now,
      });
  }

  async ownerLastInboundAt(phoneNumberId: string, waId: string, trx: Knex = this.db): Promise<number | null> {
    const row = (await trx('owner_windows').where({ phone_number_id: phoneNumberId, wa_id: waId }).first()) as { last_inbound_at: unknown } | undefined;
    return ms(row?.last_inbound_at);
  }
}
