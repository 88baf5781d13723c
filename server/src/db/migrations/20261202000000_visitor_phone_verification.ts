/**
 * A visitor's WhatsApp number is unverified until that number writes to us with the code the
 * visitor was given (conversations/phone-verification.ts): `phone_verification_code` is the code
 * issued for the current `phone`, `phone_verified_at` when that number proved it. Numbers stored
 * before this migration start unverified — nothing goes to them until they prove it.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.bigInteger('phone_verified_at').nullable();
    t.string('phone_verification_code', 16).nullable();
    t.index(['phone_verification_code'], 'contacts_phone_verification_code_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.dropIndex(['phone_verification_code'], 'contacts_phone_verification_code_idx');
    t.dropColumn('phone_verification_code');
    t.dropColumn('phone_verified_at');
  });
}
