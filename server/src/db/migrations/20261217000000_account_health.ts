/**
 * Account health as Meta reports it: a business number remembers why its sends are paused (an
 * expired or invalid access token, error 190 and kin, until a valid one is saved) and its
 * throughput level (`THROUGHPUT_UPGRADE`, apart from the messaging tier) in a table of its own
 * (altering whatsapp_numbers would make SQLite rebuild it on the way down); account events
 * (`account_update`, `phone_number_quality_update`, `phone_number_name_update`, `account_alerts`)
 * are kept as admins see them.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('whatsapp_number_health', (t) => {
    t.string('phone_number_id', 32).primary();
    t.string('token_problem_code', 32).nullable();
    t.string('token_problem_detail', 500).nullable();
    t.bigInteger('token_problem_at').nullable();
    t.string('throughput_level', 32).nullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('account_events', (t) => {
    t.string('id', 26).primary();
    t.string('field', 64).notNullable();
    t.string('event', 64).nullable();
    t.string('waba_id', 32).nullable();
    t.string('phone_number', 32).nullable();
    t.string('severity', 16).notNullable(); // info | warning | critical
    t.string('summary', 500).notNullable();
    t.text('payload').notNullable();
    t.bigInteger('occurred_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['occurred_at', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('account_events');
  await knex.schema.dropTableIfExists('whatsapp_number_health');
}
