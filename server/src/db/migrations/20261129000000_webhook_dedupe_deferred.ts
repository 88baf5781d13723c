/**
 * On SQLite a delivery is acknowledged before its key enters the unique dedupe index: the body's
 * sha256 waits in `pending_key` (no index, written in arrival order) and moves to `dedupe_key`
 * when the event is claimed for applying (webhook-events-repo.ts explains why and how duplicates
 * are still caught). So `dedupe_key` may be null until then. PostgreSQL keeps setting
 * `dedupe_key` at once; `pending_key` stays null there.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_events', (t) => {
    t.string('pending_key', 64).nullable(); // sha256 of the raw body, until it is in dedupe_key
  });
  await knex.schema.alterTable('webhook_events', (t) => {
    t.setNullable('dedupe_key');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('webhook_events')
    .whereNull('dedupe_key')
    .update({ dedupe_key: knex.ref('pending_key') });
  await knex.schema.alterTable('webhook_events', (t) => {
    t.dropNullable('dedupe_key');
  });
  await knex.schema.alterTable('webhook_events', (t) => {
    t.dropColumn('pending_key');
  });
}
