import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { CompiledStatement } from '../compiled-statement.ts';
import { dialectOf } from '../dialect.ts';
import { toJson } from '../json.ts';

export interface ContactRow {
  id: string;
  wa_id: string | null;
  user_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  visitor_token_hash: string | null;
  whatsapp_consent: boolean | number;
  meta: string | null;
  /** When this number wrote to us with the visitor's code (conversations/phone-verification.ts). */
  phone_verified_at: number | string | null;
  /** The code issued for the current `phone`, until it is verified. */
  phone_verification_code: string | null;
  /** When they stopped marketing messages (`user_preferences`); null when subscribed. */
  marketing_opted_out_at?: number | string | null;
  /** A WhatsApp group the business is in (Groups API): the group is the conversation's contact. */
  whatsapp_group_id?: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** Rows per multi-row INSERT, and values per IN list: well inside SQLite's and PostgreSQL's bind limits. */
const INSERT_CHUNK = 100;
const IN_CHUNK = 500;

/** Every visitor message re-reads its contact in its transaction: compiled once (compiled-statement.ts). */
const BY_ID = new CompiledStatement<'id'>((db, slot) =>
  db('contacts')
    .where({ id: slot('id') })
    .first(),
);

/** A WhatsApp customer's first row: the number is theirs (Meta says so), consent is implied by writing. */
function whatsAppContactRow(input: { waId: string | null; userId: string | null; name: string | null }, now: number): ContactRow {
  return {
    id: newId(),
    wa_id: input.waId,
    user_id: input.userId,
    name: input.name,
    email: null,
    phone: input.waId ? `+${input.waId}` : null,
    visitor_token_hash: null,
    whatsapp_consent: true,
    meta: null,
    phone_verified_at: null,
    phone_verification_code: null,
    created_at: now,
    updated_at: now,
  };
}

export class ContactsRepo {
  constructor(private readonly db: Knex) {}

  async byId(id: string, trx: Knex = this.db): Promise<ContactRow | null> {
    return BY_ID.first<ContactRow>(trx, { id });
  }

  async byWaId(waId: string, trx: Knex = this.db): Promise<ContactRow | null> {
    return (await trx<ContactRow>('contacts').where({ wa_id: waId }).first()) ?? null;
  }

  /**
   * Hold this contact's row until the transaction ends, so concurrent writers for one contact (a
   * visitor's tabs, two nodes) queue up and find each other's conversation instead of each creating
   * one (dialect.ts: a PostgreSQL row lock; SQLite has a single writer already).
   */
  async lockForUpdate(id: string, trx: Knex): Promise<void> {
    await dialectOf(trx).lockUntilCommit(() => trx('contacts').where({ id }).select('id'));
  }

  async byVisitorTokenHash(hash: string, trx: Knex = this.db): Promise<ContactRow | null> {
    return (await trx<ContactRow>('contacts').where({ visitor_token_hash: hash }).first()) ?? null;
  }

  async createVisitor(
    input: { visitorTokenHash: string; name?: string | null; email?: string | null; phone?: string | null; consent?: boolean; meta?: Record<string, unknown> },
    trx: Knex = this.db,
  ): Promise<ContactRow> {
    const now = Date.now();
    const row: ContactRow = {
      id: newId(),
      wa_id: null,
      user_id: null,
      name: input.name ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      visitor_token_hash: input.visitorTokenHash,
      whatsapp_consent: input.consent ?? false,
      meta: toJson(input.meta ?? null),
      phone_verified_at: null,
      phone_verification_code: null,
      created_at: now,
      updated_at: now,
    };
    await trx('contacts').insert(row);
    return row;
  }

  /**
   * Find or create the WhatsApp contact for a sender: keyed by wa_id when present, else by Meta's
   * business-scoped user id. Keeps the profile name and the missing key up to date.
   */
  async upsertWhatsApp(input: { waId: string | null; userId: string | null; name: string | null }, trx: Knex = this.db): Promise<ContactRow> {
    let row: ContactRow | undefined;
    if (input.waId) row = await trx<ContactRow>('contacts').where({ wa_id: input.waId }).first();
    if (!row && input.userId) row = await trx<ContactRow>('contacts').where({ user_id: input.userId }).first();
    const now = Date.now();
    if (row) {
      const patch: Partial<ContactRow> = {};
      if (input.name && input.name !== row.name) patch.name = input.name;
      if (input.waId && !row.wa_id) patch.wa_id = input.waId;
      if (input.userId && !row.user_id) patch.user_id = input.userId;
      if (Object.keys(patch).length) {
        await trx('contacts')
          .where({ id: row.id })
          .update({ ...patch, updated_at: now });
        row = { ...row, ...patch };
      }
      return row;
    }
    const created = whatsAppContactRow(input, now);
    await trx('contacts').insert(created);
    return created;
  }

  /** WhatsApp contacts by wa_id, in one query per 500 (applying a batch of webhooks). */
  byWaIds(waIds: string[], trx: Knex = this.db): Promise<ContactRow[]> {
    return this.whereIn('wa_id', waIds, trx);
  }

  /** Contacts known only by Meta's business-scoped user id, among these. */
  byUserIds(userIds: string[], trx: Knex = this.db): Promise<ContactRow[]> {
    return this.whereIn('user_id', userIds, trx);
  }

  private async whereIn(column: 'wa_id' | 'user_id', values: string[], trx: Knex): Promise<ContactRow[]> {
    const rows: ContactRow[] = [];
    for (let i = 0; i < values.length; i += IN_CHUNK) rows.push(...(await trx<ContactRow>('contacts').whereIn(column, values.slice(i, i + IN_CHUNK))));
    return rows;
  }

  /** New WhatsApp contacts (none of them stored yet), in multi-row statements. */
  async createWhatsAppMany(inputs: { waId: string; userId: string | null; name: string | null }[], trx: Knex): Promise<ContactRow[]> {
    const now = Date.now();
    const rows = inputs.map((input) => whatsAppContactRow(input, now));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('contacts').insert(rows.slice(i, i + INSERT_CHUNK));
    return rows;
  }

  async update(
    id: string,
    patch: Partial<Pick<ContactRow, 'name' | 'email' | 'phone' | 'wa_id' | 'whatsapp_consent' | 'meta' | 'phone_verified_at' | 'phone_verification_code'>>,
    trx: Knex = this.db,
  ): Promise<void> {
    await trx('contacts')
      .where({ id })
      .update({ ...patch, updated_at: Date.now() });
  }

  async byUserId(userId: string, trx: Knex = this.db): Promise<ContactRow | null> {
    return (await trx<ContactRow>('contacts').where({ user_id: userId }).first()) ?? null;
  }

  /** The contact that stands for a WhatsApp group, created on its first message. */
  async upsertGroup(groupId: string, trx: Knex = this.db): Promise<ContactRow> {
    const found = await trx<ContactRow>('contacts').where({ whatsapp_group_id: groupId }).first();
    if (found) return found;
    const now = Date.now();
    const created: ContactRow = {
      id: newId(),
      wa_id: null,
      user_id: null,
      whatsapp_group_id: groupId,
      name: 'WhatsApp group',
      email: null,
      phone: null,
      visitor_token_hash: null,
      whatsapp_consent: true,
      meta: null,
      phone_verified_at: null,
      phone_verification_code: null,
      created_at: now,
      updated_at: now,
    };
    await trx('contacts').insert(created);
    return created;
  }

  /** A WhatsApp user changed their number or user id (whatsapp/identity-changes.ts). */
  async rekey(id: string, keys: Partial<Pick<ContactRow, 'wa_id' | 'user_id' | 'phone'>>, trx: Knex = this.db): Promise<void> {
    await trx('contacts')
      .where({ id })
      .update({ ...keys, updated_at: Date.now() });
  }

  /**
   * A contact that holds nothing but its keys and preferences (no conversation): what a
   * `user_preferences` webhook about a number we never talked to leaves behind.
   */
  async isBare(id: string, trx: Knex = this.db): Promise<boolean> {
    return !(await trx('conversations').where({ contact_id: id }).first('id'));
  }

  /** Folds a bare contact (isBare) into another: its marketing preference carries over, it goes. */
  async foldBareInto(bare: ContactRow, into: string, trx: Knex = this.db): Promise<void> {
    await trx('contacts').where({ id: bare.id }).delete();
    if (bare.marketing_opted_out_at !== null && bare.marketing_opted_out_at !== undefined)
      await this.setMarketingOptOut(into, Number(bare.marketing_opted_out_at), trx);
  }

  /** Record a `user_preferences` change: stopped at `at`, or resumed (null). */
  async setMarketingOptOut(id: string, at: number | null, trx: Knex = this.db): Promise<void> {
    await trx('contacts').where({ id }).update({ marketing_opted_out_at: at, updated_at: Date.now() });
  }

  /** Visitors waiting to verify this number with this code (normally one). */
  async awaitingVerification(code: string, phone: string, trx: Knex = this.db): Promise<ContactRow[]> {
    return trx<ContactRow>('contacts').where({ phone_verification_code: code, phone }).whereNull('phone_verified_at');
  }
}
