/**
 * The request that caused a piece of deferred work travels with it: `outbox.request_id` is the id
 * of the HTTP request (or socket event, or applied webhook) that queued the send, logged when the
 * Graph call is made; `webhook_events.request_id` is the id of the delivery's POST, logged when
 * the stored event is applied. Both null for rows written before this migration.
 */
import type { Knex } from 'knex';

/** Incoming X-Request-Id values are at most this long (http/request-id.ts). */
const REQUEST_ID_LENGTH = 128;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('request_id', REQUEST_ID_LENGTH).nullable();
  });
  await knex.schema.alterTable('webhook_events', (t) => {
    t.string('request_id', REQUEST_ID_LENGTH).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_events', (t) => {
    t.dropColumn('request_id');
  });
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('request_id');
  });
}
