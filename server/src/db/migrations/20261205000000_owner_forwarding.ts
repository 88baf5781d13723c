/**
 * The owner's phone at real traffic (conversations/owner/). Visitor messages for the owner wait in
 * `owner_queue` — written in the visitor message's own transaction, so nothing acknowledged is
 * lost — until a message to the owner carries them: `owner_messages` (a forward of one
 * conversation, a numbered digest of several, a `#list` answer, a notice), sent through the
 * outbox (`outbox.owner_message_id`). `owner_state` keeps what the console needs between
 * messages: a mute, whom the owner last answered, and Meta's pair-rate refusals.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('owner_messages', (t) => {
    t.string('id', 26).primary();
    t.string('phone_number_id', 32).notNullable();
    t.string('owner_wa_id', 32).notNullable();
    t.string('kind', 16).notNullable(); // forward | digest | list | notice
    t.string('status', 16).notNullable().defaultTo('queued'); // queued | sent | delivered | read | failed
    t.boolean('via_template').notNullable().defaultTo(false);
    t.text('body').notNullable(); // what the owner's phone shows
    t.text('lines').notNullable(); // JSON: [{ n, conversation_id, message_id, name, site, messages }]
    t.string('conversation_id', 26).nullable(); // a forward: the one conversation it is about
    t.string('message_id', 26).nullable(); // a forward: the newest visitor message it carries
    t.string('wamid', 255).nullable().unique();
    t.string('in_reply_to', 255).nullable(); // the owner's message a command answer or help answers
    t.string('error_code', 32).nullable();
    t.string('error_title', 255).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('sent_at').nullable();
    t.index(['phone_number_id', 'owner_wa_id', 'created_at'], 'owner_messages_owner_time');
    t.index(['created_at', 'id'], 'owner_messages_log');
    t.index(['in_reply_to'], 'owner_messages_in_reply_to');
  });

  await knex.schema.createTable('owner_queue', (t) => {
    t.string('id', 26).primary();
    t.string('phone_number_id', 32).notNullable();
    t.string('owner_wa_id', 32).notNullable();
    t.string('conversation_id', 26).notNullable().references('conversations.id').onDelete('CASCADE');
    t.string('message_id', 26).notNullable().unique().references('messages.id').onDelete('CASCADE');
    t.string('mode', 16).notNullable(); // forward: now | digest: with the next digest (policy `first`) | held: arrived during a hold
    t.bigInteger('created_at').notNullable();
    t.string('owner_message_id', 26).nullable(); // null while waiting; its line number is in owner_messages.lines
    t.index(['phone_number_id', 'owner_wa_id', 'owner_message_id', 'created_at'], 'owner_queue_waiting');
    t.index(['owner_message_id'], 'owner_queue_carried_by');
    t.index(['conversation_id', 'created_at'], 'owner_queue_conversation');
  });

  await knex.schema.createTable('owner_state', (t) => {
    t.string('phone_number_id', 32).notNullable();
    t.string('wa_id', 32).notNullable();
    t.bigInteger('muted_from').nullable();
    t.bigInteger('muted_until').nullable();
    t.string('answered_conversation_id', 26).nullable();
    t.bigInteger('answered_at').nullable();
    t.bigInteger('help_at').nullable();
    t.integer('pair_limit_hits').notNullable().defaultTo(0);
    t.bigInteger('last_pair_limit_at').nullable();
    t.bigInteger('updated_at').notNullable();
    t.primary(['phone_number_id', 'wa_id']);
  });

  await knex.schema.alterTable('outbox', (t) => {
    t.string('owner_message_id', 26).nullable();
    t.index(['owner_message_id'], 'outbox_owner_message');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['owner_message_id'], 'outbox_owner_message');
    t.dropColumn('owner_message_id');
  });
  await knex.schema.dropTableIfExists('owner_state');
  await knex.schema.dropTableIfExists('owner_queue');
  await knex.schema.dropTableIfExists('owner_messages');
}
