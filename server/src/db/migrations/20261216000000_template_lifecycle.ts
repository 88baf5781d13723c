/**
 * Templates as WhatsApp has them in 2026: positional or NAMED parameters, a header that is text,
 * media or a location, and a lifecycle beyond APPROVED: FLAGGED with the date Meta disables it,
 * LOCKED (cannot be edited), the reason of the last status event, and a category change Meta
 * announced (`template_category_update` with `correct_category` and its date) or made.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('templates', (t) => {
    t.string('parameter_format', 16).notNullable().defaultTo('POSITIONAL');
    t.string('header_format', 16).nullable();
    t.bigInteger('disable_date').nullable();
    t.boolean('locked').notNullable().defaultTo(false);
    t.string('status_reason', 512).nullable();
    t.text('category_change').nullable();
  });
  // Synced before: a header stored as "[image]" was a media header.
  await knex('templates').whereNotNull('header').update({ header_format: 'TEXT' });
  for (const f of ['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'])
    await knex('templates')
      .where({ header: `[${f.toLowerCase()}]` })
      .update({ header_format: f });
}

export async function down(knex: Knex): Promise<void> {
  // Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): knex's SQLite rebuild of the table would trip
  // the report triggers that read templates.
  for (const column of ['category_change', 'status_reason', 'locked', 'disable_date', 'header_format', 'parameter_format'])
    await knex.raw('ALTER TABLE templates DROP COLUMN ??', [column]);
}
