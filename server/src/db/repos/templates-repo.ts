/**
 * Message templates synced from Meta, one row per (WABA, name, language). Upserts make syncs from
 * several nodes safe; template webhooks patch status, category, quality, lifecycle and text in place.
 */
import type { Knex } from 'knex';
import { templateLifecycle, templateVariables, type TemplateJson, type TemplateSpec } from '@connectdesk/shared';
import { newId } from '../../ids.ts';
import { bool, fromJson, iso, toJson } from '../json.ts';

export interface TemplateRow {
  id: string;
  waba_id: string;
  meta_id: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  components: string;
  body: string;
  header: string | null;
  footer: string | null;
  buttons: string | null;
  parameter_count: number;
  quality: string | null;
  parameter_format: string;
  header_format: string | null;
  disable_date: number | string | null;
  locked: boolean | number;
  status_reason: string | null;
  category_change: string | null;
  synced_at: number | string;
  updated_at: number | string;
}

export interface TemplateRecord {
  metaId: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  components: unknown[];
  body: string;
  header: string | null;
  footer: string | null;
  buttons: TemplateButton[];
  parameterCount: number;
  quality: string | null;
  parameterFormat: string;
  headerFormat: string | null;
}

export interface TemplateButton {
  type: string;
  text: string;
  url?: string;
  phone_number?: string;
}

/** A category change Meta announced (`done: false`, `at` when it happens) or made. */
export interface CategoryChange {
  from: string | null;
  to: string;
  at: string | null;
  done: boolean;
}

export interface TemplatePatch {
  status?: string;
  category?: string;
  quality?: string;
  body?: string;
  header?: string | null;
  footer?: string | null;
  buttons?: TemplateButton[];
  parameterCount?: number;
  disableDate?: number | null;
  locked?: boolean;
  statusReason?: string | null;
  categoryChange?: CategoryChange | null;
}

/** What fillTemplate needs of a stored template. */
export function templateSpec(r: TemplateRow): TemplateSpec {
  return {
    name: r.name,
    parameter_format: r.parameter_format,
    header_format: r.header_format,
    header: r.header,
    body: r.body,
    buttons: fromJson<TemplateButton[]>(r.buttons, []),
  };
}

export function templateJson(r: TemplateRow): TemplateJson {
  const lifecycle = templateLifecycle({ ...r, locked: bool(r.locked) });
  return {
    id: r.id,
    name: r.name,
    language: r.language,
    category: r.category,
    status: r.status,
    parameter_format: r.parameter_format,
    body: r.body,
    header: r.header,
    header_format: r.header_format,
    footer: r.footer,
    buttons: fromJson(r.buttons, []),
    parameter_count: Number(r.parameter_count),
    variables: templateVariables(r, r.body),
    quality: r.quality,
    sendable: lifecycle.sendable,
    warning: lifecycle.warning,
    disable_date: r.disable_date === null ? null : iso(r.disable_date),
    locked: bool(r.locked),
    category_change: fromJson<CategoryChange | null>(r.category_change, null),
    status_reason: r.status_reason,
    updated_at: iso(r.updated_at)!,
  };
}

export class TemplatesRepo {
  constructor(private readonly db: Knex) {}

  /** Replace the WABA's templates with what Meta returned: upsert each, drop the ones Meta no longer lists. */
  async replaceAll(wabaId: string, records: TemplateRecord[], now = Date.now()): Promise<void> {
    await this.db.transaction(async (trx) => {
      for (const t of records) {
        const row = {
          meta_id: t.metaId,
          category: t.category,
          status: t.status,
          components: JSON.stringify(t.components),
          body: t.body,
          header: t.header,
          footer: t.footer,
          buttons: toJson(t.buttons),
          parameter_count: t.parameterCount,
          quality: t.quality,
          parameter_format: t.parameterFormat,
          header_format: t.headerFormat,
          synced_at: now,
          updated_at: now,
        };
        await trx('templates')
          .insert({ id: newId(), waba_id: wabaId, name: t.name, language: t.language, ...row })
          .onConflict(['waba_id', 'name', 'language'])
          .merge(row);
      }
      await trx('templates').where({ waba_id: wabaId }).andWhere('synced_at', '<', now).delete();
    });
  }

  async list(wabaId: string, filter: { status?: string; language?: string; name?: string } = {}): Promise<TemplateRow[]> {
    const q = this.db<TemplateRow>('templates').where({ waba_id: wabaId });
    if (filter.status) q.andWhere('status', filter.status.toUpperCase());
    if (filter.language) q.andWhere('language', filter.language);
    if (filter.name) q.andWhere('name', filter.name);
    return q.orderBy([{ column: 'name' }, { column: 'language' }]);
  }

  async find(wabaId: string, name: string, language: string): Promise<TemplateRow | null> {
    return (await this.db<TemplateRow>('templates').where({ waba_id: wabaId, name, language }).first()) ?? null;
  }

  /** Apply a template webhook; returns false when we have not synced that template yet. */
  async patch(wabaId: string, name: string, language: string, p: TemplatePatch): Promise<boolean> {
    const patch: Record<string, unknown> = { updated_at: Date.now() };
    if (p.status !== undefined) patch.status = p.status;
    if (p.category !== undefined) patch.category = p.category;
    if (p.quality !== undefined) patch.quality = p.quality;
    if (p.body !== undefined) patch.body = p.body;
    if (p.header !== undefined) patch.header = p.header;
    if (p.footer !== undefined) patch.footer = p.footer;
    if (p.buttons !== undefined) patch.buttons = toJson(p.buttons);
    if (p.parameterCount !== undefined) patch.parameter_count = p.parameterCount;
    if (p.disableDate !== undefined) patch.disable_date = p.disableDate;
    if (p.locked !== undefined) patch.locked = p.locked;
    if (p.statusReason !== undefined) patch.status_reason = p.statusReason;
    if (p.categoryChange !== undefined) patch.category_change = p.categoryChange === null ? null : toJson(p.categoryChange);
    const n = await this.db('templates').where({ waba_id: wabaId, name, language }).update(patch);
    return n > 0;
  }
}
