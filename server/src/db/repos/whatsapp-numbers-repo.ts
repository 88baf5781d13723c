/**
 * The business's WhatsApp numbers. Access tokens are sealed with APP_KEY (SecretBox) and never
 * leave the server; a number without its own token uses WHATSAPP_ACCESS_TOKEN.
 */
import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { dialectOf } from '../dialect.ts';
import { bool, iso } from '../json.ts';

export interface WhatsAppNumber {
  id: string;
  phoneNumberId: string;
  wabaId: string | null;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  accessTokenSealed: string | null;
  ownerUserId: string | null;
  targetPhone: string | null;
  qualityRating: string | null;
  messagingTier: string | null;
  /** Meta's throughput level (STANDARD, HIGH), from THROUGHPUT_UPGRADE events or the number's fields. */
  throughputLevel: string | null;
  /** Why sends from this number are paused (an expired or invalid token), until a valid one is saved. */
  tokenProblem: TokenProblem | null;
  isDefault: boolean;
  updatedAt: string;
}

interface TokenProblem {
  code: string;
  detail: string | null;
  at: string;
}

interface Row {
  id: string;
  phone_number_id: string;
  waba_id: string | null;
  display_phone_number: string | null;
  verified_name: string | null;
  access_token_enc: string | null;
  owner_user_id: string | null;
  target_phone: string | null;
  quality_rating: string | null;
  messaging_tier: string | null;
  throughput_level: string | null;
  token_problem_code: string | null;
  token_problem_detail: string | null;
  token_problem_at: number | string | null;
  is_default: boolean | number;
  created_at: number | string;
  updated_at: number | string;
}

function toNumber(r: Row): WhatsAppNumber {
  return {
    id: r.id,
    phoneNumberId: r.phone_number_id,
    wabaId: r.waba_id,
    displayPhoneNumber: r.display_phone_number,
    verifiedName: r.verified_name,
    accessTokenSealed: r.access_token_enc,
    ownerUserId: r.owner_user_id,
    targetPhone: r.target_phone,
    qualityRating: r.quality_rating,
    messagingTier: r.messaging_tier,
    throughputLevel: r.throughput_level,
    tokenProblem: r.token_problem_code ? { code: r.token_problem_code, detail: r.token_problem_detail, at: iso(r.token_problem_at)! } : null,
    isDefault: bool(r.is_default),
    updatedAt: iso(r.updated_at)!,
  };
}

export interface NumberPatch {
  wabaId?: string | null;
  displayPhoneNumber?: string | null;
  verifiedName?: string | null;
  accessTokenSealed?: string | null;
  ownerUserId?: string | null;
  targetPhone?: string | null;
  qualityRating?: string | null;
  messagingTier?: string | null;
  throughputLevel?: string | null;
  /** null clears it (a token was saved). */
  tokenProblem?: { code: string; detail: string | null; at: number } | null;
  isDefault?: boolean;
}

function toRowPatch(p: NumberPatch): Partial<Row> {
  const out: Partial<Row> = {};
  if (p.wabaId !== undefined) out.waba_id = p.wabaId;
  if (p.displayPhoneNumber !== undefined) out.display_phone_number = p.displayPhoneNumber;
  if (p.verifiedName !== undefined) out.verified_name = p.verifiedName;
  if (p.accessTokenSealed !== undefined) out.access_token_enc = p.accessTokenSealed;
  if (p.ownerUserId !== undefined) out.owner_user_id = p.ownerUserId;
  if (p.targetPhone !== undefined) out.target_phone = p.targetPhone;
  if (p.qualityRating !== undefined) out.quality_rating = p.qualityRating;
  if (p.messagingTier !== undefined) out.messaging_tier = p.messagingTier;
  if (p.isDefault !== undefined) out.is_default = p.isDefault;
  return out;
}

/** The columns kept in whatsapp_number_health (sending paused, throughput level). */
function toHealthPatch(p: NumberPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.throughputLevel !== undefined) out.throughput_level = p.throughputLevel;
  if (p.tokenProblem !== undefined) {
    out.token_problem_code = p.tokenProblem?.code ?? null;
    out.token_problem_detail = p.tokenProblem?.detail?.slice(0, 500) ?? null;
    out.token_problem_at = p.tokenProblem?.at ?? null;
  }
  return out;
}

const HEALTH_COLUMNS = ['h.throughput_level', 'h.token_problem_code', 'h.token_problem_detail', 'h.token_problem_at'];

export class WhatsAppNumbersRepo {
  /**
   * The default number, read on every visitor message. Kept when this process is the database's
   * only writer (SQLite): every write below drops the copy, so it stays exact. Several nodes: no copy.
   */
  private defaultCopy: Promise<WhatsAppNumber | null> | null = null;
  private readonly keepsDefault: boolean;

  constructor(private readonly db: Knex) {
    this.keepsDefault = dialectOf(db).singleWriter;
  }

  /** whatsapp_numbers with its health row (aliased `n`). */
  private rows(): Knex.QueryBuilder {
    return this.db('whatsapp_numbers as n')
      .leftJoin('whatsapp_number_health as h', 'h.phone_number_id', 'n.phone_number_id')
      .select('n.*', ...HEALTH_COLUMNS);
  }

  async list(): Promise<WhatsAppNumber[]> {
    return ((await this.rows().orderBy('n.created_at')) as Row[]).map(toNumber);
  }

  async byPhoneNumberId(phoneNumberId: string): Promise<WhatsAppNumber | null> {
    const r = (await this.rows().where('n.phone_number_id', phoneNumberId).first()) as Row | undefined;
    return r ? toNumber(r) : null;
  }

  async byId(id: string): Promise<WhatsAppNumber | null> {
    const r = (await this.rows().where('n.id', id).first()) as Row | undefined;
    return r ? toNumber(r) : null;
  }

  defaultNumber(): Promise<WhatsAppNumber | null> {
    if (!this.keepsDefault) return this.readDefault();
    const copy = (this.defaultCopy ??= this.readDefault());
    copy.catch(() => {
      if (this.defaultCopy === copy) this.defaultCopy = null;
    });
    return copy;
  }

  private async readDefault(): Promise<WhatsAppNumber | null> {
    const r = ((await this.rows().where('n.is_default', true).first()) ?? (await this.rows().orderBy('n.created_at').first())) as Row | undefined;
    return r ? toNumber(r) : null;
  }

  /**
   * Insert or update by phone_number_id (start-up seeds the configured number this way). One
   * statement, so nodes starting together on a fresh database cannot both insert.
   */
  async upsert(phoneNumberId: string, patch: NumberPatch): Promise<WhatsAppNumber> {
    this.defaultCopy = null;
    const now = Date.now();
    const changes = { ...toRowPatch(patch), updated_at: now };
    await this.db('whatsapp_numbers')
      .insert({ id: newId(), phone_number_id: phoneNumberId, is_default: false, ...changes, created_at: now })
      .onConflict('phone_number_id')
      .merge(changes);
    const health = toHealthPatch(patch);
    if (Object.keys(health).length > 0) {
      await this.db('whatsapp_number_health')
        .insert({ phone_number_id: phoneNumberId, ...health, updated_at: now })
        .onConflict('phone_number_id')
        .merge({ ...health, updated_at: now });
    }
    this.defaultCopy = null; // a read that began during the write may have kept the old row
    return (await this.byPhoneNumberId(phoneNumberId))!;
  }

  async remove(id: string): Promise<boolean> {
    const number = await this.byId(id);
    if (number) await this.db('whatsapp_number_health').where({ phone_number_id: number.phoneNumberId }).delete();
    const removed = (await this.db('whatsapp_numbers').where({ id }).delete()) > 0;
    this.defaultCopy = null;
    return removed;
  }
}
