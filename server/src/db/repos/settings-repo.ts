/** Key → JSON settings (widget appearance, business hours, …), validated by the caller's schema. */
import type { Knex } from 'knex';
import type { z } from 'zod';
import { fromJson } from '../json.ts';

export class SettingsRepo {
  constructor(private readonly db: Knex) {}

  /** The stored value parsed with `schema`; defaults when missing or no longer valid. */
  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S>> {
    const row = await this.db<{ key: string; value: unknown }>('settings').where({ key }).first();
    const parsed = schema.safeParse(fromJson(row?.value, {}));
    return parsed.success ? parsed.data : schema.parse({});
  }

  /** One string value under `key` (null when unset), for a caller that keeps its own bookkeeping. */
  text(key: string): { get(): Promise<string | null>; set(value: string): Promise<void> } {
    return {
      get: async () => {
        const row = await this.db<{ key: string; value: unknown }>('settings').where({ key }).first();
        const value = fromJson<unknown>(row?.value, null);
        return typeof value === 'string' ? value : null;
      },
      set: (value) => this.set(key, value),
    };
  }

  async set(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.db('settings').insert({ key, value: json, updated_at: Date.now() }).onConflict('key').merge({ value: json, updated_at: Date.now() });
  }
}
