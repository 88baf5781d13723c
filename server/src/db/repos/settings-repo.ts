/** Key → JSON settings (widget appearance, business hours, …), validated by the caller's schema. */
import type { Knex } from 'knex';
import type { z } from 'zod';
import { fromJson } from '../json.ts';

export class SettingsRepo {
  constructor(private readonly db: Knex) {}

  /** The stored value parsed with `schema`; defaults when missing or no longer valid. */
  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S>> {
    const row = await this.db('settings').where({ key }).first();
    const parsed = schema.safeParse(fromJson(row?.value, {}));
    return parsed.success ? parsed.data : schema.parse({});
  }

  async set(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.db('settings')
      .insert({ key, value: json, updated_at: Date.now() })
      .onConflict('key')
      .merge({ value: json, updated_at: Date.now() });
  }
}
