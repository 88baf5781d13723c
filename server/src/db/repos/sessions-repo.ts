import type { Knex } from 'knex';
import { ms } from '../json.ts';

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: number;
  lastSeenAt: number;
}

export class SessionsRepo {
  constructor(private readonly db: Knex) {}

  async create(input: { idHash: string; userId: string; expiresAt: number; ip: string | null; userAgent: string | null }): Promise<void> {
    const now = Date.now();
    await this.db('sessions').insert({
      id: input.idHash,
      user_id: input.userId,
      created_at: now,
      last_seen_at: now,
      expires_at: input.expiresAt,
      ip: input.ip?.slice(0, 64) ?? null,
      user_agent: input.userAgent?.slice(0, 255) ?? null,
    });
  }

  async find(idHash: string): Promise<SessionRecord | null> {
    const r = await this.db('sessions').where({ id: idHash }).first();
    if (!r) return null;
    return { id: r.id, userId: r.user_id, expiresAt: ms(r.expires_at) ?? 0, lastSeenAt: ms(r.last_seen_at) ?? 0 };
  }

  async touch(idHash: string, expiresAt: number): Promise<void> {
    await this.db('sessions').where({ id: idHash }).update({ last_seen_at: Date.now(), expires_at: expiresAt });
  }

  async delete(idHash: string): Promise<void> {
    await this.db('sessions').where({ id: idHash }).delete();
  }

  async deleteExpired(now = Date.now()): Promise<number> {
    return this.db('sessions').where('expires_at', '<', now).delete();
  }
}
