/** Migrations are listed here, in order (no directory globbing). Append new ones at the end. */
import type { Knex } from 'knex';
import * as initial from './20261127000000_initial.ts';
import * as whatsappDelivery from './20261128010000_whatsapp_delivery.ts';
import * as webhookDedupeDeferred from './20261129000000_webhook_dedupe_deferred.ts';
import * as authRevocationScopes from './20261130120000_auth_revocation_scopes.ts';
import * as visitorPhoneVerification from './20261202000000_visitor_phone_verification.ts';
import * as requestIds from './20261204000000_request_ids.ts';
import * as agentNotifications from './20261210000000_agent_notifications.ts';
import * as ownerForwarding from './20261205000000_owner_forwarding.ts';
import * as reportsSatisfaction from './20261210000000_reports_satisfaction.ts';
import * as reportAgentDays from './20261211000000_report_agent_days.ts';
import * as jobLeases from './20261212000000_job_leases.ts';
import * as contactIdentity from './20261214000000_contact_identity.ts';
import * as templateLifecycle from './20261216000000_template_lifecycle.ts';
import * as accountHealth from './20261217000000_account_health.ts';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const MIGRATIONS: [string, Migration][] = [
  ['20261127000000_initial', initial],
  ['20261128010000_whatsapp_delivery', whatsappDelivery],
  ['20261129000000_webhook_dedupe_deferred', webhookDedupeDeferred],
  ['20261130120000_auth_revocation_scopes', authRevocationScopes],
  ['20261202000000_visitor_phone_verification', visitorPhoneVerification],
  ['20261204000000_request_ids', requestIds],
  ['20261210000000_agent_notifications', agentNotifications],
  ['20261205000000_owner_forwarding', ownerForwarding],
  ['20261210000000_reports_satisfaction', reportsSatisfaction],
  ['20261211000000_report_agent_days', reportAgentDays],
  ['20261212000000_job_leases', jobLeases],
  ['20261214000000_contact_identity', contactIdentity],
  ['20261216000000_template_lifecycle', templateLifecycle],
  ['20261217000000_account_health', accountHealth],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: ([name]) => name,
  getMigration: async ([, m]) => m,
};
