/**
 * Ending access at once, and scoped API tokens.
 * - `auth_epoch` on users, sessions and api_tokens: a session or token is valid only while its
 *   epoch equals its user's. Sign-in and token creation copy the user's epoch; removing an agent,
 *   changing a role or a password bumps it (and deletes the rows), so a sign-in that checked the
 *   old password while the password changed cannot leave a live session behind.
 * - `scopes` (space-separated, see shared/src/api-scopes.ts) and `expires_at` on api_tokens.
 *   Tokens from before this migration get the default scopes (read and answer conversations,
 *   templates) — what the documented script routes need, and nothing of settings or the team.
 */
import type { Knex } from 'knex';

const PRE_SCOPE_TOKENS = 'conversations:read conversations:write templates';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('auth_epoch').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('sessions', (t) => {
    t.integer('auth_epoch').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('api_tokens', (t) => {
    t.integer('auth_epoch').notNullable().defaultTo(0);
    t.string('scopes', 255).notNullable().defaultTo('');
    t.bigInteger('expires_at').nullable();
  });
  await knex('api_tokens').update({ scopes: PRE_SCOPE_TOKENS });
}

/**
 * Plain `ALTER TABLE … DROP COLUMN` (PostgreSQL, and SQLite since 3.35): knex's SQLite fallback
 * rebuilds the table, and rebuilding `users` would cascade-delete every session and token.
 */
export async function down(knex: Knex): Promise<void> {
  const drop = [
    ['api_tokens', 'expires_at'],
    ['api_tokens', 'scopes'],
    ['api_tokens', 'auth_epoch'],
    ['sessions', 'auth_epoch'],
    ['users', 'auth_epoch'],
  ] as const;
  for (const [table, column] of drop) await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [table, column]);
}
