import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { ms } from '../json.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  passwordHash: string;
  /** Sessions and API tokens are valid only while they carry this number (see revokeAccess). */
  authEpoch: number;
  createdAt: number;
  disabledAt: number | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  auth_epoch: number | string;
  created_at: number | string;
  disabled_at: number | string | null;
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role === 'admin' ? 'admin' : 'agent',
    passwordHash: r.password_hash,
    authEpoch: Number(r.auth_epoch),
    createdAt: ms(r.created_at) ?? 0,
    disabledAt: ms(r.disabled_at),
  };
}

export class UsersRepo {
  constructor(private readonly db: Knex) {}

  async count(): Promise<number> {
    const row = (await this.db('users').count<{ n: number | string }[]>({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  async create(input: { email: string; name: string; role: 'admin' | 'agent'; passwordHash: string }): Promise<User> {
    const row: UserRow = {
      id: newId(),
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      password_hash: input.passwordHash,
      auth_epoch: 0,
      created_at: Date.now(),
      disabled_at: null,
    };
    await this.db('users').insert(row);
    return toUser(row);
  }

  async byEmail(email: string): Promise<User | null> {
    const r = await this.db<UserRow>('users').where({ email: email.toLowerCase() }).first();
    return r ? toUser(r) : null;
  }

  async byId(id: string): Promise<User | null> {
    const r = await this.db<UserRow>('users').where({ id }).first();
    return r ? toUser(r) : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.db<UserRow>('users').whereNull('disabled_at').orderBy('created_at');
    return rows.map(toUser);
  }

  async recordLogin(id: string): Promise<void> {
    await this.db('users').where({ id }).update({ last_login_at: Date.now() });
  }

  /**
   * Changes what the user is (password, role, or removed) and ends every session and API token
   * they have, in one transaction: the epoch bump also voids a session a racing sign-in is
   * about to insert with the old epoch. Returns the user as it is now, or null if unknown.
   */
  async revokeAccess(id: string, change: AccessChange = {}): Promise<User | null> {
    return this.db.transaction(async (trx) => {
      const patch: Record<string, unknown> = { auth_epoch: trx.raw('auth_epoch + 1') };
      if (change.passwordHash !== undefined) patch.password_hash = change.passwordHash;
      if (change.role !== undefined) patch.role = change.role;
      if (change.disable) patch.disabled_at = Date.now();
      if ((await trx('users').where({ id }).update(patch)) === 0) return null;
      await trx('sessions').where({ user_id: id }).delete();
      await trx('api_tokens').where({ user_id: id }).whereNull('revoked_at').update({ revoked_at: Date.now() });
      const r = await trx<UserRow>('users').where({ id }).first();
      return r ? toUser(r) : null;
    });
  }
}

/** What revokeAccess changes besides ending access. */
export interface AccessChange {
  passwordHash?: string;
  role?: 'admin' | 'agent';
  disable?: boolean;
}
