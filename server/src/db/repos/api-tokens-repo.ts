import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { iso, ms } from '../json.ts';

export interface ApiTokenInfo {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export class ApiTokensRepo {
  constructor(private readonly db: Knex) {}

  async create(input: { userId: string; name: string; tokenHash: string; prefix: string }): Promise<ApiTokenInfo> {
    const row = {
      id: newId(),
      user_id: input.userId,
      name: input.name,
      token_hash: input.tokenHash,
      prefix: input.prefix,
      created_at: Date.now(),
    };
    await this.db('api_tokens').insert(row);
    return { id: row.id, userId: row.user_id, name: row.name, prefix: row.prefix, createdAt: iso(row.created_at)!, lastUsedAt: null };
  }

  /** The user id behind an active token, and marks it used (at most once a minute). */
  async use(tokenHash: string): Promise<string | null> {
    const r = await this.db('api_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at').first();
    if (!r) return null;
    const last = ms(r.last_used_at) ?? 0;
    if (Date.now() - last > 60_000) await this.db('api_tokens').where({ id: r.id }).update({ last_used_at: Date.now() });
    return r.user_id as string;
  }

  async list(): Promise<ApiTokenInfo[]> {
    const rows = await this.db('api_tokens').whereNull('revoked_at').orderBy('created_at');
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      prefix: r.prefix,
      createdAt: iso(r.created_at)!,
      lastUsedAt: iso(r.last_used_at),
    }));
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: Date.now() })) > 0;
  }
}
