/** Key → JSON settings (widget appearance, business hours, …), validated by the caller's schema. */
import type { Knex } from 'knex';
import type { z } from 'zod';
import { dialectOf } from '../dialect.ts';
import { fromJson } from '../json.ts';

export class SettingsRepo {
  /**
   * Stored values by key, read on every visitor message (owner forwarding, widget hours). Kept when
   * this process is the database's only writer (SQLite): `set` replaces the copy after its write,
   * so it stays exact. Several nodes: no copy, every read goes to the database.
   */
  private readonly kept: Map<string, Promise<unknown>> | null;

  constructor(private readonly db: Knex) {
    this.kept = dialectOf(db).singleWriter ? new Map() : null;
  }

  /** The stored JSON value under `key`, parsed (undefined when unset). */
  private read(key: string): Promise<unknown> {
    const hit = this.kept?.get(key);
    if (hit) return hit;
    const value = this.db<{ key: string; value: unknown }>('settings')
      .where({ key })
      .first()
      .then((row) => (row ? fromJson<unknown>(row.value, undefined) : undefined));
    if (this.kept) {
      this.kept.set(key, value);
      value.catch(() => this.kept!.delete(key)); // a failed read is not kept
    }
    return value;
  }

  /** The stored value parsed with `schema`; defaults when missing or no longer valid. */
  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S>> {
    const parsed = schema.safeParse((await this.read(key)) ?? {});
    return parsed.success ? parsed.data : schema.parse({});
  }

  /** One string value under `key` (null when unset), for a caller that keeps its own bookkeeping. */
  text(key: string): { get(): Promise<string | null>; set(value: string): Promise<void> } {
    return {
      get: async () => {
        const value = await this.read(key);
        return typeof value === 'string' ? value : null;
      },
      set: (value) => this.set(key, value),
    };
  }

  async set(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    this.kept?.delete(key); // a read racing the write must not keep the old value
    try {
      await this.db('settings').insert({ key, value: json, updated_at: Date.now() }).onConflict('key').merge({ value: json, updated_at: Date.now() });
    } finally {
      this.kept?.delete(key);
    }
  }
}
