/**
 * Identity as WhatsApp has it in 2026: the outbox's recipient key holds a business-scoped user id
 * (a username user without a shared number: up to 131 characters) where it held only phone numbers,
 * and a contact records when they stopped marketing messages (`user_preferences` webhook). A
 * WhatsApp group the business is in is a contact of its own, keyed by its group id.
 * SQLite does not enforce string lengths, so only PostgreSQL's column type is widened.
 */
import type { Knex } from 'knex';

const isPostgres = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'postgresql';

export async function up(knex: Knex): Promise<void> {
  if (isPostgres(knex)) await knex.raw('ALTER TABLE outbox ALTER COLUMN to_wa_id TYPE varchar(160)');
  await knex.schema.alterTable('contacts', (t) => {
    t.bigInteger('marketing_opted_out_at').nullable();
    t.string('whatsapp_group_id', 160).nullable().unique();
  });
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    await knex.schema.alterTable('contacts', (t) => {
      t.dropUnique(['whatsapp_group_id']);
      t.dropColumn('whatsapp_group_id');
      t.dropColumn('marketing_opted_out_at');
    });
  } else {
    // SQLite: native DROP COLUMN (after the index that names it). knex's own way copies the table
    // and drops the original, and inside the migration's transaction foreign keys stay on, so
    // dropping `contacts` would cascade to every conversation and message.
    await knex.raw('DROP INDEX IF EXISTS ??', ['contacts_whatsapp_group_id_unique']);
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['contacts', 'whatsapp_group_id']);
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['contacts', 'marketing_opted_out_at']);
  }
  // The wider recipient key stays: keys longer than 32 characters would not fit back.
}
