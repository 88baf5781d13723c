/**
 * Identity as WhatsApp has it in 2026: the outbox's recipient key holds a business-scoped user id
 * (a username user without a shared number: up to 131 characters) where it held only phone numbers,
 * and a contact records when they stopped marketing messages (`user_preferences` webhook).
 * SQLite does not enforce string lengths, so only PostgreSQL's column type is widened.
 */
import type { Knex } from 'knex';

const isPostgres = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'postgresql';

export async function up(knex: Knex): Promise<void> {
  if (isPostgres(knex)) await knex.raw('ALTER TABLE outbox ALTER COLUMN to_wa_id TYPE varchar(160)');
  await knex.schema.alterTable('contacts', (t) => {
    t.bigInteger('marketing_opted_out_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.dropColumn('marketing_opted_out_at');
  });
  // The wider recipient key stays: keys longer than 32 characters would not fit back.
}
