/** Migrations are listed here, in order (no directory globbing). Append new ones at the end. */
import type { Knex } from 'knex';
import * as initial from './20261127000000_initial.ts';
import * as whatsappDelivery from './20261128010000_whatsapp_delivery.ts';
import * as webhookDedupeDeferred from './20261129000000_webhook_dedupe_deferred.ts';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const MIGRATIONS: [string, Migration][] = [
  ['20261127000000_initial', initial],
  ['20261128010000_whatsapp_delivery', whatsappDelivery],
  ['20261129000000_webhook_dedupe_deferred', webhookDedupeDeferred],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: ([name]) => name,
  getMigration: async ([, m]) => m,
};
