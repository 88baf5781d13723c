import type { Knex } from 'knex';
import { newId } from '../../ids.ts';
import { ms } from '../json.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  passwordHash: string;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
  disabledAt: number | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  failed_logins: number;
  locked_until: number | string | null;
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
    failedLogins: Number(r.failed_logins),
    lockedUntil: ms(r.locked_until),
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
      failed_logins: 0,
      locked_until: null,
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

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.db('users').where({ id }).update({ password_hash: passwordHash, failed_logins: 0, locked_until: null });
  }

  async recordFailedLogin(id: string, lockedUntil: number | null): Promise<void> {
    await this.db('users')
      .where({ id })
      .update({ failed_logins: this.db.raw('failed_logins + 1'), locked_until: lockedUntil });
  }

  async recordLogin(id: string): Promise<void> {
    await this.db('users').where({ id }).update({ failed_logins: 0, locked_until: null, last_login_at: Date.now() });
  }

  async disable(id: string): Promise<void> {
    await this.db('users').where({ id }).update({ disabled_at: Date.now() });
    await this.db('sessions').where({ user_id: id }).delete();
    await this.db('api_tokens').where({ user_id: id }).whereNull('revoked_at').update({ revoked_at: Date.now() });
  }
}
