/**
 * Message templates synced from Meta, one row per (WABA, name, language). Upserts make syncs from
 * several nodes safe; template webhooks patch status, category, quality and text in place.
 */
import type { Knex } from 'knex';
import type { TemplateJson } from '@connectdesk/shared';
import { newId } from '../../ids.ts';
import { fromJson, iso, toJson } from '../json.ts';

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
  buttons: { type: string; text: string }[];
  parameterCount: number;
  quality: string | null;
}

export interface TemplatePatch {
  status?: string;
  category?: string;
  quality?: string;
  body?: string;
  header?: string | null;
  footer?: string | null;
  buttons?: { type: string; text: string }[];
  parameterCount?: number;
}

export function templateJson(r: TemplateRow): TemplateJson {
  return {
    id: r.id,
    name: r.name,
    language: r.language,
    category: r.category,
    status: r.status,
    body: r.body,
    header: r.header,
    footer: r.footer,
    buttons: fromJson(r.buttons, []),
    parameter_count: Number(r.parameter_count),
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
    const n = await this.db('templates').where({ waba_id: wabaId, name, language }).update(patch);
    return n > 0;
  }
}
