/**
 * The data model of DESIGN.md. Times are epoch milliseconds (bigint) so SQLite and PostgreSQL
 * sort and compare them the same way; ids are ULIDs (time-ordered text).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 26).primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 100).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('role', 16).notNullable().defaultTo('agent');
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.bigInteger('locked_until').nullable();
    t.bigInteger('last_login_at').nullable();
    t.bigInteger('disabled_at').nullable();
    t.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('id', 64).primary(); // sha256 of the cookie value; the value itself is never stored
    t.string('user_id', 26).notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 255).nullable();
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.string('id', 26).primary();
    t.string('user_id', 26).notNullable().references('users.id').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('prefix', 16).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.bigInteger('revoked_at').nullable();
  });

  await knex.schema.createTable('whatsapp_numbers', (t) => {
    t.string('id', 26).primary();
    t.string('phone_number_id', 32).notNullable().unique();
    t.string('waba_id', 32).nullable();
    t.string('display_phone_number', 32).nullable();
    t.string('verified_name', 255).nullable();
    t.text('access_token_enc').nullable(); // AES-256-GCM with APP_KEY; null → the env token
    t.string('owner_user_id', 26).nullable().references('users.id').onDelete('SET NULL');
    t.string('target_phone', 32).nullable();
    t.string('quality_rating', 16).nullable();
    t.string('messaging_tier', 32).nullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('contacts', (t) => {
    t.string('id', 26).primary();
    t.string('wa_id', 32).nullable().unique();
    t.string('user_id', 128).nullable().unique(); // Meta business-scoped user id
    t.string('name', 255).nullable();
    t.string('email', 254).nullable();
    t.string('phone', 32).nullable();
    t.string('visitor_token_hash', 64).nullable().unique();
    t.boolean('whatsapp_consent').notNullable().defaultTo(false);
    t.text('meta').nullable(); // JSON: user agent, page, locale...
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('conversations', (t) => {
    t.string('id', 26).primary();
    t.string('channel', 16).notNullable(); // web | whatsapp
    t.string('contact_id', 26).notNullable().references('contacts.id').onDelete('CASCADE');
    t.string('whatsapp_number_id', 26).nullable().references('whatsapp_numbers.id').onDelete('SET NULL');
    t.string('owner_user_id', 26).nullable().references('users.id').onDelete('SET NULL');
    t.string('assignee_id', 26).nullable().references('users.id').onDelete('SET NULL');
    t.string('status', 16).notNullable().defaultTo('open');
    t.bigInteger('last_customer_message_at').nullable(); // Meta's timestamp for WhatsApp
    t.bigInteger('last_message_at').notNullable();
    t.string('last_message_preview', 200).nullable();
    t.integer('unread_count').notNullable().defaultTo(0);
    t.string('site', 255).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['last_message_at', 'id']);
    t.index(['status', 'last_message_at', 'id']);
    t.index(['contact_id', 'channel']);
    t.index(['assignee_id', 'last_message_at']);
  });

  await knex.schema.createTable('media', (t) => {
    t.string('id', 26).primary();
    t.string('sha256', 64).nullable();
    t.string('mime', 128).nullable();
    t.bigInteger('size').nullable();
    t.string('filename', 255).nullable();
    t.string('storage_path', 512).nullable();
    t.string('meta_media_id', 128).nullable();
    t.string('direction', 16).notNullable(); // inbound | outbound
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | ready | failed
    t.string('error', 255).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.index(['status']);
    t.index(['meta_media_id']);
  });

  await knex.schema.createTable('messages', (t) => {
    t.string('id', 26).primary();
    t.string('conversation_id', 26).notNullable().references('conversations.id').onDelete('CASCADE');
    t.string('direction', 16).notNullable(); // inbound | outbound
    t.string('sender', 16).notNullable(); // visitor | customer | agent | owner | system
    t.string('author_id', 26).nullable().references('users.id').onDelete('SET NULL');
    t.string('type', 32).notNullable();
    t.text('body').notNullable(); // plain text: the body, caption or a readable summary
    t.text('content').nullable(); // JSON: the type-faithful Cloud API object
    t.string('wamid', 255).nullable().unique();
    t.string('status', 16).notNullable();
    t.string('error_code', 32).nullable();
    t.string('error_title', 255).nullable();
    t.text('error_detail').nullable();
    t.string('context_wamid', 255).nullable();
    t.string('context_message_id', 26).nullable();
    t.string('client_id', 64).nullable();
    t.boolean('is_note').notNullable().defaultTo(false);
    t.string('template_name', 512).nullable();
    t.string('template_language', 15).nullable();
    t.text('template_params').nullable(); // JSON array
    t.string('media_id', 26).nullable().references('media.id').onDelete('SET NULL');
    t.text('reactions').nullable(); // JSON [{emoji, from}]
    t.bigInteger('sent_at').nullable(); // Meta's timestamp for inbound, our send time for outbound
    t.bigInteger('edited_at').nullable();
    t.bigInteger('deleted_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['conversation_id', 'created_at', 'id']);
    t.unique(['conversation_id', 'client_id']);
  });

  await knex.schema.createTable('forwards', (t) => {
    // A visitor message forwarded to the owner's phone; the owner's swipe-reply quotes its wamid.
    t.string('id', 26).primary();
    t.string('message_id', 26).notNullable().references('messages.id').onDelete('CASCADE');
    t.string('conversation_id', 26).notNullable().references('conversations.id').onDelete('CASCADE');
    t.string('to_wa_id', 32).notNullable();
    t.string('wamid', 255).nullable().unique();
    t.string('status', 16).notNullable().defaultTo('queued');
    t.bigInteger('created_at').notNullable();
    t.index(['to_wa_id', 'created_at']);
  });

  await knex.schema.createTable('outbox', (t) => {
    t.string('id', 26).primary();
    t.string('kind', 16).notNullable(); // message | forward | mark_read
    t.string('message_id', 26).nullable().references('messages.id').onDelete('CASCADE');
    t.string('forward_id', 26).nullable().references('forwards.id').onDelete('CASCADE');
    t.string('phone_number_id', 32).notNullable();
    t.string('to_wa_id', 32).nullable();
    t.text('payload').notNullable(); // JSON body for POST /{phone-number-id}/messages
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | done | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').notNullable();
    t.string('lease_owner', 64).nullable();
    t.bigInteger('lease_expires_at').nullable();
    t.text('last_error').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['status', 'next_attempt_at']);
    t.index(['message_id']);
  });

  await knex.schema.createTable('webhook_events', (t) => {
    t.string('id', 26).primary();
    t.string('dedupe_key', 64).notNullable().unique(); // sha256 of the raw body
    t.text('raw_body').notNullable();
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | done | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error').nullable();
    t.bigInteger('received_at').notNullable();
    t.bigInteger('processed_at').nullable();
    t.index(['status', 'received_at']);
  });

  await knex.schema.createTable('templates', (t) => {
    t.string('id', 26).primary();
    t.string('waba_id', 32).notNullable();
    t.string('meta_id', 64).nullable();
    t.string('name', 512).notNullable();
    t.string('language', 15).notNullable();
    t.string('category', 32).notNullable();
    t.string('status', 32).notNullable();
    t.text('components').notNullable(); // JSON, as Meta returns them
    t.text('body').notNullable();
    t.text('header').nullable();
    t.text('footer').nullable();
    t.text('buttons').nullable(); // JSON
    t.integer('parameter_count').notNullable().defaultTo(0);
    t.string('quality', 16).nullable();
    t.bigInteger('synced_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['waba_id', 'name', 'language']);
  });

  await knex.schema.createTable('settings', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable(); // JSON
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'settings',
    'templates',
    'webhook_events',
    'outbox',
    'forwards',
    'messages',
    'media',
    'conversations',
    'contacts',
    'whatsapp_numbers',
    'api_tokens',
    'sessions',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
