/**
 * Reports and the satisfaction survey.
 * - Meta's pricing object per message and per forward (category, model, type, billable) and the
 *   recipient's calling code, so costs can be estimated; statuses waiting for their wamid keep it.
 * - conversation_cycles: opened → first response → resolved, written by triggers
 *   (db/rollups/cycle-triggers.ts), with durations counted in business hours filled in later.
 * - satisfaction_surveys: one per resolved cycle at most.
 * - report_slots / report_slot_keys: counters per 15-minute slot, kept by triggers
 *   (db/rollups/rollup-triggers.ts), so a year of reports sums tens of thousands of rows instead
 *   of counting a million messages. Existing data is backfilled here.
 * Backfilling reads every message once: on a large database this migration takes a while (about
 * 20 s per million messages on SQLite, see BENCHMARKS.md).
 */
import type { Knex } from 'knex';
import { backfillCycles, createCycleTriggers, dropCycleTriggers } from '../rollups/cycle-triggers.ts';
import { SLOT_COLUMNS } from '../rollups/facts.ts';
import { rebuildRollups } from '../rollups/rebuild.ts';
import { createRollupTriggers, dropRollupTriggers } from '../rollups/rollup-triggers.ts';

function pricingColumns(t: Knex.AlterTableBuilder): void {
  t.string('pricing_category', 40).nullable();
  t.string('pricing_model', 16).nullable();
  t.string('pricing_type', 40).nullable();
  t.boolean('pricing_billable').nullable();
  t.string('pricing_country', 4).nullable(); // the recipient's calling code
}

const PRICING = ['pricing_country', 'pricing_billable', 'pricing_type', 'pricing_model', 'pricing_category'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    pricingColumns(t);
    t.index(['sender', 'created_at'], 'messages_sender_created');
  });
  await knex.schema.alterTable('forwards', pricingColumns);
  await knex.schema.alterTable('owner_messages', pricingColumns);
  await knex.schema.alterTable('pending_statuses', (t) => {
    t.text('pricing').nullable(); // JSON, Meta's pricing object
  });

  await knex.schema.createTable('conversation_cycles', (t) => {
    t.increments('id');
    t.string('conversation_id', 26).notNullable().references('conversations.id').onDelete('CASCADE');
    t.string('channel', 16).notNullable();
    t.string('agent_id', 26).nullable();
    t.string('first_responder_id', 26).nullable();
    t.bigInteger('opened_at').notNullable();
    t.boolean('reopened').notNullable().defaultTo(false);
    t.bigInteger('first_response_at').nullable();
    t.string('first_response_by', 16).nullable(); // agent | owner
    t.bigInteger('resolved_at').nullable();
    t.bigInteger('first_response_ms').nullable(); // counted in business hours when they are set
    t.bigInteger('resolution_ms').nullable();
    t.boolean('durations_pending').notNullable().defaultTo(false);
    t.index(['conversation_id', 'resolved_at'], 'cycles_conversation');
    t.index(['durations_pending'], 'cycles_durations_pending');
    // Percentiles: PostgreSQL reads the period's rows (time first); SQLite walks durations in
    // order until the nth row of the period (duration first), per filter.
    for (const [at, dur] of [
      ['first_response_at', 'first_response_ms'],
      ['resolved_at', 'resolution_ms'],
    ] as const) {
      const short = at === 'resolved_at' ? 'res' : 'frt';
      t.index([at, 'channel', 'agent_id', dur], `cycles_${short}_at`);
      t.index([dur, at, 'channel', 'agent_id'], `cycles_${short}_ms`);
      t.index(['channel', dur, at, 'agent_id'], `cycles_${short}_channel_ms`);
      t.index(['agent_id', dur, at, 'channel'], `cycles_${short}_agent_ms`);
    }
  });

  await knex.schema.createTable('satisfaction_surveys', (t) => {
    t.string('id', 26).primary();
    t.integer('cycle_id').notNullable().unique().references('conversation_cycles.id').onDelete('CASCADE');
    t.string('conversation_id', 26).notNullable().references('conversations.id').onDelete('CASCADE');
    t.string('channel', 16).notNullable();
    t.string('agent_id', 26).nullable();
    t.bigInteger('asked_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.string('message_id', 26).nullable(); // the WhatsApp list message
    t.integer('rating').nullable();
    t.text('comment').nullable();
    t.bigInteger('answered_at').nullable();
    t.string('answer_message_id', 26).nullable();
    t.index(['conversation_id', 'asked_at'], 'surveys_conversation');
    t.index(['answered_at', 'channel', 'agent_id'], 'surveys_answered');
  });

  await knex.schema.createTable('report_slots', (t) => {
    t.string('agent_id', 26).notNullable(); // '' = everyone
    t.bigInteger('slot').notNullable(); // epoch ms of the 15-minute slot's start
    t.string('channel', 16).notNullable();
    for (const c of SLOT_COLUMNS) t.integer(c).notNullable().defaultTo(0);
    t.primary(['agent_id', 'slot', 'channel']);
  });
  await knex.schema.createTable('report_slot_keys', (t) => {
    t.string('agent_id', 26).notNullable();
    t.bigInteger('slot').notNullable();
    t.string('channel', 16).notNullable();
    t.string('metric', 16).notNullable(); // wa_failed | fw_failed | billable
    t.string('key', 64).notNullable(); // error code, or "country:category"
    t.integer('n').notNullable().defaultTo(0);
    t.primary(['agent_id', 'slot', 'channel', 'metric', 'key']);
  });

  await backfillCycles(knex);
  await rebuildRollups(knex);
  await createCycleTriggers(knex);
  await createRollupTriggers(knex);
}

/** Plain `DROP COLUMN` (PostgreSQL, and SQLite since 3.35), as in the auth migration. */
export async function down(knex: Knex): Promise<void> {
  await dropRollupTriggers(knex);
  await dropCycleTriggers(knex);
  for (const table of ['report_slot_keys', 'report_slots', 'satisfaction_surveys', 'conversation_cycles']) await knex.schema.dropTableIfExists(table);
  await knex.raw('DROP INDEX IF EXISTS messages_sender_created');
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['pending_statuses', 'pricing']);
  for (const table of ['owner_messages', 'forwards', 'messages'])
    for (const column of PRICING) await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [table, column]);
}
