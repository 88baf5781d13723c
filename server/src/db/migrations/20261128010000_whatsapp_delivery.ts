/**
 * What the WhatsApp side needs beyond the initial model: webhook events that can be leased and
 * retried, statuses that arrive before we know their wamid, the owner's own 24-hour window, the
 * expected checksum of inbound media, and indexes for the outbox's per-recipient ordering.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_events', (t) => {
    t.bigInteger('next_attempt_at').nullable(); // failed events: when to try applying again
    t.bigInteger('lease_expires_at').nullable(); // processing events: reclaimable after this
  });

  await knex.schema.alterTable('outbox', (t) => {
    // The claim query sends one message at a time per recipient, oldest first.
    t.index(['phone_number_id', 'to_wa_id', 'status', 'id'], 'outbox_recipient_queue');
  });

  await knex.schema.alterTable('media', (t) => {
    t.string('expected_sha256', 128).nullable(); // what the webhook announced (hex or base64)
    t.bigInteger('next_attempt_at').nullable();
  });

  await knex.schema.alterTable('forwards', (t) => {
    t.string('error_code', 32).nullable();
    t.string('error_title', 255).nullable();
  });

  // A status webhook can beat the send's own answer (the wamid is not stored yet): keep it here
  // and apply it as soon as a message or forward gets that wamid.
  await knex.schema.createTable('pending_statuses', (t) => {
    t.string('id', 26).primary();
    t.string('wamid', 255).notNullable();
    t.string('status', 16).notNullable();
    t.text('errors').nullable(); // JSON, Meta's errors[]
    t.bigInteger('received_at').notNullable();
    t.index(['wamid']);
    t.index(['received_at']);
  });

  // The owner's own customer-service window with the business number: free-form forwards are
  // allowed for 24 hours after the owner last wrote, templates otherwise.
  await knex.schema.createTable('owner_windows', (t) => {
    t.string('phone_number_id', 32).notNullable();
    t.string('wa_id', 32).notNullable();
    t.bigInteger('last_inbound_at').notNullable(); // Meta's timestamp of the owner's last message
    t.bigInteger('updated_at').notNullable();
    t.primary(['phone_number_id', 'wa_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('owner_windows');
  await knex.schema.dropTableIfExists('pending_statuses');
  await knex.schema.alterTable('forwards', (t) => {
    t.dropColumn('error_title');
    t.dropColumn('error_code');
  });
  await knex.schema.alterTable('media', (t) => {
    t.dropColumn('next_attempt_at');
    t.dropColumn('expected_sha256');
  });
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['phone_number_id', 'to_wa_id', 'status', 'id'], 'outbox_recipient_queue');
  });
  await knex.schema.alterTable('webhook_events', (t) => {
    t.dropColumn('lease_expires_at');
    t.dropColumn('next_attempt_at');
  });
}
