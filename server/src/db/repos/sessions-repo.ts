import type { Knex } from 'knex';
import { ms } from '../json.ts';

export interface SessionRecord {
  id: string;
  userId: string;
  authEpoch: number;
  expiresAt: number;
  lastSeenAt: number;
}

/** SQLite allows 999 bound variables in older builds; stay well below in `IN (...)` lists. */
const ID_CHUNK = 500;

export class SessionsRepo {
  constructor(private readonly db: Knex) {}

  async create(input: { idHash: string; userId: string; authEpoch: number; expiresAt: number; ip: string | null; userAgent: string | null }): Promise<void> {
    const now = Date.now();
    await this.db('sessions').insert({
      id: input.idHash,
      user_id: input.userId,
      auth_epoch: input.authEpoch,
      created_at: now,
      last_seen_at: now,
      expires_at: input.expiresAt,
      ip: input.ip?.slice(0, 64) ?? null,
      user_agent: input.userAgent?.slice(0, 255) ?? null,
    });
  }

  async find(idHash: string): Promise<SessionRecord | null> {
    const r = await this.db<{ id: string; user_id: string; auth_epoch: unknown; expires_at: unknown; last_seen_at: unknown }>('sessions')
      .where({ id: idHash })
      .first();
    if (!r) return null;
    return {
      id: r.id,
      userId: r.user_id,
      authEpoch: Number(r.auth_epoch),
      expiresAt: ms(r.expires_at) ?? 0,
      lastSeenAt: ms(r.last_seen_at) ?? 0,
    };
  }

  /**
   * Which of these sessions still grant access at `now`: not expired, their user not removed and
   * still on the same auth epoch. What the realtime sweep keeps sockets for.
   */
  async stillValid(idHashes: readonly string[], now = Date.now()): Promise<Set<string>> {
    const valid = new Set<string>();
    for (let i = 0; i < idHashes.length; i += ID_CHUNK) {
      const rows = await this.db('sessions as s')
        .join('users as u', 'u.id', 's.user_id')
        .whereIn('s.id', idHashes.slice(i, i + ID_CHUNK))
        .where('s.expires_at', '>', now)
        .whereNull('u.disabled_at')
        .whereRaw('?? = ??', ['s.auth_epoch', 'u.auth_epoch'])
        .select<{ id: string }[]>('s.id');
      for (const r of rows) valid.add(r.id);
    }
    return valid;
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
