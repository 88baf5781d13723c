/**
 * The storage side of ending access and scoped tokens, on real SQLite: tokens from before the
 * scopes migration get the documented default scopes; revokeAccess ends sessions and tokens and
 * voids a session inserted by a sign-in that raced it; stillValid tells the sweep which sessions live.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_SCOPES } from '@connectdesk/shared';
import { migrationSource } from '../migrations/index.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';
import { ApiTokensRepo } from './api-tokens-repo.ts';
import { SessionsRepo } from './sessions-repo.ts';
import { UsersRepo } from './users-repo.ts';

describe('API tokens from before scopes existed', () => {
  const tmp = useTempSqlite({ migrate: false });

  it('get the default scopes (read and answer conversations, templates) and no expiry', async () => {
    const db = tmp.db;
    const all = await migrationSource.getMigrations([]);
    const before = all.findIndex(([name]) => name === '20261130120000_auth_revocation_scopes');
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < before; i++) await db.migrate.up({ migrationSource });
    await db('users').insert({ id: 'u1', email: 'old@example.com', name: 'Old', password_hash: 'x', role: 'admin', created_at: Date.now() });
    await db('api_tokens').insert({ id: 't1', user_id: 'u1', name: 'old script', token_hash: 'h'.repeat(64), prefix: 'cdk_old', created_at: Date.now() });

    await db.migrate.latest({ migrationSource });
    const grant = await new ApiTokensRepo(db).grant('h'.repeat(64));
    expect(grant).toMatchObject({ userId: 'u1', scopes: [...DEFAULT_API_SCOPES], expiresAt: null, authEpoch: 0 });
    expect(grant!.scopes).not.toContain('settings');
    expect(grant!.scopes).not.toContain('team');
    // A token created later without scopes by some other path gets none, not everything.
    await db('api_tokens').insert({ id: 't2', user_id: 'u1', name: 'raw', token_hash: 'k'.repeat(64), prefix: 'cdk_raw', created_at: Date.now() });
    expect((await new ApiTokensRepo(db).grant('k'.repeat(64)))!.scopes).toEqual([]);
  });

  it('keeps every user, session and token when migrating down and up again (SQLite must not rebuild users)', async () => {
    const db = tmp.db;
    await db.migrate.latest({ migrationSource });
    await db('users').insert({ id: 'u1', email: 'kept@example.com', name: 'Kept', password_hash: 'x', role: 'admin', created_at: 1 });
    await db('sessions').insert({ id: 's1', user_id: 'u1', created_at: 1, expires_at: 2, last_seen_at: 1 });
    await db('api_tokens').insert({ id: 't1', user_id: 'u1', name: 'n', token_hash: 'h', prefix: 'p', created_at: 1 });
    // Undo the auth migration, and whatever later migrations sit on top of it.
    const all = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    expect(all).toContain('20261130120000_auth_revocation_scopes');
    const later = all.length - all.indexOf('20261130120000_auth_revocation_scopes');
    for (let i = 0; i < later; i++) await db.migrate.down({ migrationSource });
    expect(await db.schema.hasColumn('users', 'auth_epoch')).toBe(false);
    expect(await db.schema.hasColumn('api_tokens', 'scopes')).toBe(false);
    for (const table of ['users', 'sessions', 'api_tokens']) expect(await db(table).count({ n: '*' }), table).toEqual([{ n: 1 }]);
    await db.migrate.latest({ migrationSource });
    expect(await db('sessions').where({ id: 's1' }).first()).toMatchObject({ user_id: 'u1', auth_epoch: 0 });
    expect((await db('api_tokens').where({ id: 't1' }).first()).scopes).toBe(DEFAULT_API_SCOPES.join(' '));
  });
});

describe('ending access in the database', () => {
  const tmp = useTempSqlite();

  it('revokeAccess bumps the epoch, deletes sessions and revokes tokens in one go; stillValid agrees', async () => {
    const users = new UsersRepo(tmp.db);
    const sessions = new SessionsRepo(tmp.db);
    const tokens = new ApiTokensRepo(tmp.db);
    const ana = await users.create({ email: 'ana@example.com', name: 'Ana', role: 'agent', passwordHash: 'old' });
    const bo = await users.create({ email: 'bo@example.com', name: 'Bo', role: 'agent', passwordHash: 'old' });
    const later = Date.now() + 60_000;
    await sessions.create({ idHash: 'ana-1', userId: ana.id, authEpoch: 0, expiresAt: later, ip: null, userAgent: null });
    await sessions.create({ idHash: 'bo-1', userId: bo.id, authEpoch: 0, expiresAt: later, ip: null, userAgent: null });
    await sessions.create({ idHash: 'bo-expired', userId: bo.id, authEpoch: 0, expiresAt: Date.now() - 1, ip: null, userAgent: null });
    await tokens.create({ userId: ana.id, name: 't', tokenHash: 'a'.repeat(64), prefix: 'cdk_a', scopes: ['templates'], authEpoch: 0, expiresAt: null });

    expect([...(await sessions.stillValid(['ana-1', 'bo-1', 'bo-expired', 'unknown']))].sort()).toEqual(['ana-1', 'bo-1']);

    const after = await users.revokeAccess(ana.id, { passwordHash: 'new', role: 'admin' });
    expect(after).toMatchObject({ authEpoch: 1, passwordHash: 'new', role: 'admin', disabledAt: null });
    expect(await sessions.find('ana-1')).toBeNull();
    expect(await tokens.grant('a'.repeat(64))).toBeNull();
    expect([...(await sessions.stillValid(['ana-1', 'bo-1']))]).toEqual(['bo-1']);

    // A sign-in that read Ana at epoch 0 before the change and inserts its session afterwards.
    await sessions.create({ idHash: 'ana-late', userId: ana.id, authEpoch: 0, expiresAt: later, ip: null, userAgent: null });
    expect(await sessions.stillValid(['ana-late'])).toEqual(new Set());

    const removed = await users.revokeAccess(bo.id, { disable: true });
    expect(removed!.disabledAt).not.toBeNull();
    expect(await sessions.stillValid(['bo-1'])).toEqual(new Set());
    expect(await users.revokeAccess('nobody')).toBeNull();
  });
});
