import type { Knex } from 'knex';
import { isApiScope, type ApiScope } from '@connectdesk/shared';
import { newId } from '../../ids.ts';
import { iso, ms } from '../json.ts';

export interface ApiTokenInfo {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** What a presented token stands for; the caller checks expiry and the user's epoch. */
export interface ApiTokenGrant {
  id: string;
  userId: string;
  scopes: ApiScope[];
  authEpoch: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/** Stored space-separated; anything unknown (a scope from a newer version) is dropped, never widened. */
function parseScopes(text: unknown): ApiScope[] {
  return typeof text === 'string' ? text.split(' ').filter(isApiScope) : [];
}

function toInfo(r: Record<string, unknown>): ApiTokenInfo {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    name: r.name as string,
    prefix: r.prefix as string,
    scopes: parseScopes(r.scopes),
    createdAt: iso(r.created_at)!,
    lastUsedAt: iso(r.last_used_at),
    expiresAt: iso(r.expires_at),
  };
}

export class ApiTokensRepo {
  constructor(private readonly db: Knex) {}

  async create(input: {
    userId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    scopes: readonly ApiScope[];
    authEpoch: number;
    expiresAt: number | null;
  }): Promise<ApiTokenInfo> {
    const row = {
      id: newId(),
      user_id: input.userId,
      name: input.name,
      token_hash: input.tokenHash,
      prefix: input.prefix,
      scopes: [...new Set(input.scopes)].join(' '),
      auth_epoch: input.authEpoch,
      expires_at: input.expiresAt,
      created_at: Date.now(),
    };
    await this.db('api_tokens').insert(row);
    return toInfo(row);
  }

  /** What an unrevoked token grants (the caller checks expiry and the user's epoch). */
  async grant(tokenHash: string): Promise<ApiTokenGrant | null> {
    const r = await this.db<Record<string, unknown>>('api_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at').first();
    if (!r) return null;
    return {
      id: r.id as string,
      userId: r.user_id as string,
      scopes: parseScopes(r.scopes),
      authEpoch: Number(r.auth_epoch),
      expiresAt: ms(r.expires_at),
      lastUsedAt: ms(r.last_used_at),
    };
  }

  async markUsed(id: string, at = Date.now()): Promise<void> {
    await this.db('api_tokens').where({ id }).update({ last_used_at: at });
  }

  async byId(id: string): Promise<ApiTokenInfo | null> {
    const r = await this.db<Record<string, unknown>>('api_tokens').where({ id }).whereNull('revoked_at').first();
    return r ? toInfo(r) : null;
  }

  /** Tokens not revoked (expired ones included, so they can be seen and cleaned up). */
  async list(): Promise<ApiTokenInfo[]> {
    const rows = await this.db('api_tokens').whereNull('revoked_at').orderBy('created_at');
    return rows.map(toInfo);
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: Date.now() })) > 0;
  }
}
