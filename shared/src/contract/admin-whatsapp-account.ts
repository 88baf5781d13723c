/** `GET /admin/api/whatsapp/account`: the health of the business account as Meta reported it. */
import { z } from 'zod';
import { WhatsAppNumberJsonSchema } from './admin-settings.ts';

export const AccountEventJsonSchema = z
  .object({
    id: z.string(),
    /** The webhook field: account_update, phone_number_quality_update, phone_number_name_update, account_alerts. */
    field: z.string(),
    event: z.string().nullable(),
    waba_id: z.string().nullable(),
    phone_number: z.string().nullable(),
    severity: z.enum(['info', 'warning', 'critical']),
    /** A plain-language line for admins. */
    summary: z.string(),
    occurred_at: z.string(),
  })
  .meta({ id: 'AccountEvent' });
export type AccountEventJson = z.infer<typeof AccountEventJsonSchema>;

export const WhatsAppAccountSchema = z.object({
  /** Some number's sending is paused until a valid access token is saved. */
  sending_paused: z.boolean(),
  numbers: z.array(WhatsAppNumberJsonSchema),
  /** Newest first, at most 50. */
  events: z.array(AccountEventJsonSchema),
});
export type WhatsAppAccount = z.infer<typeof WhatsAppAccountSchema>;

/** `POST /admin/api/whatsapp/subscription`: subscribe the app to the account's webhooks. */
export const WebhookSubscriptionSchema = z.object({ subscribed: z.boolean(), apps: z.array(z.string()) });
export type WebhookSubscription = z.infer<typeof WebhookSubscriptionSchema>;
