/**
 * One lease rule for every durable queue (jobs/job.ts): a claim writes who holds the job and until
 * when, and only the holder records its outcome. The outbox had both columns from the start;
 * webhook events had the expiry only, inbound media downloads neither.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_events', (t) => {
    t.string('lease_owner', 64).nullable();
  });
  await knex.schema.alterTable('media', (t) => {
    t.string('lease_owner', 64).nullable();
    t.bigInteger('lease_expires_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('media', (t) => {
    t.dropColumn('lease_expires_at');
    t.dropColumn('lease_owner');
  });
  await knex.schema.alterTable('webhook_events', (t) => {
    t.dropColumn('lease_owner');
  });
}
