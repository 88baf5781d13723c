/**
 * The agent's day: per-agent notification preferences and presence choice, when each conversation
 * started waiting for an answer, and the durable record of "unanswered" e-mails (one per
 * conversation per waiting stretch, so a restart never sends one twice).
 *
 * `conversations.waiting_since`: the time of the first customer message since our side last wrote
 * (agent reply, owner reply from WhatsApp, template); null when answered or resolved. Conversations
 * from before this migration start with null: only stretches that begin after it are watched.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agent_preferences', (t) => {
    t.string('user_id', 26).primary().references('users.id').onDelete('CASCADE');
    t.boolean('desktop').notNullable().defaultTo(false);
    t.boolean('sound').notNullable().defaultTo(false);
    t.boolean('email').notNullable().defaultTo(false);
    t.integer('away_after_minutes').notNullable().defaultTo(10);
    /** The agent set themselves away by hand (kept across reloads and devices until they come back). */
    t.boolean('manual_away').notNullable().defaultTo(false);
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.alterTable('conversations', (t) => {
    t.bigInteger('waiting_since').nullable();
  });
  // Partial indexes (same syntax on SQLite and PostgreSQL): the unread counts and the e-mail pass
  // read only the few open conversations that have unread messages or are waiting, however many
  // conversations there are in all.
  await knex.raw('CREATE INDEX conversations_unread_idx ON conversations (status, assignee_id) WHERE unread_count > 0');
  await knex.raw('CREATE INDEX conversations_waiting_idx ON conversations (status, waiting_since) WHERE waiting_since IS NOT NULL');

  await knex.schema.createTable('unanswered_alerts', (t) => {
    t.string('id', 26).primary();
    t.string('conversation_id', 26).notNullable().references('conversations.id').onDelete('CASCADE');
    t.bigInteger('waiting_since').notNullable();
    // pending → sent | cancelled (answered or resolved meanwhile) | skipped (nobody to tell) | failed
    t.string('status', 16).notNullable();
    t.text('recipients').nullable(); // JSON array of e-mail addresses
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').notNullable();
    t.bigInteger('lease_until').nullable();
    t.string('last_error', 255).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('sent_at').nullable();
    t.unique(['conversation_id', 'waiting_since'], { indexName: 'unanswered_alerts_stretch_uq' });
    t.index(['status', 'next_attempt_at'], 'unanswered_alerts_due_idx');
  });
}

/**
 * Plain `ALTER TABLE … DROP COLUMN` after dropping its index: knex's SQLite fallback rebuilds the
 * table, and rebuilding `conversations` would cascade-delete every message.
 */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('unanswered_alerts');
  await knex.raw('DROP INDEX IF EXISTS ??', ['conversations_unread_idx']);
  await knex.raw('DROP INDEX IF EXISTS ??', ['conversations_waiting_idx']);
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['conversations', 'waiting_since']);
  await knex.schema.dropTable('agent_preferences');
}
