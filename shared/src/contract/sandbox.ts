/**
 * The sandbox's simulated phones as the admin app's "Simulated phones" panel meets them (sandbox
 * mode only; not part of the OpenAPI document): `GET /sandbox/phones/:waId/inbox`.
 */
import { z } from 'zod';

export const SandboxDeliveryStatusSchema = z.enum(['accepted', 'sent', 'delivered', 'read', 'failed']);
export type SandboxDeliveryStatus = z.infer<typeof SandboxDeliveryStatusSchema>;

/** A message the business sent to a phone, as that phone's inbox shows it. */
export const SandboxInboxEntrySchema = z.object({
  wamid: z.string(),
  type: z.string(),
  /** Body, caption, rendered template body or a readable summary. */
  text: z.string().nullable(),
  template: z
    .object({
      name: z.string(),
      language: z.string(),
      parameters: z.array(z.string()),
      text: z.string(),
      /** A NAMED template's body values by name. */
      named_parameters: z.record(z.string(), z.string()).optional(),
      header: z.string().optional(),
      /** A media or location header as sent: `{ type: "image", image: { id } }`, `{ type: "location", location }`. */
      header_parameter: z.looseObject({ type: z.string() }).optional(),
      footer: z.string().optional(),
      buttons: z.array(z.string()).optional(),
      /** Values the send gave its buttons: a URL suffix, a coupon code, a quick-reply payload. */
      button_values: z.array(z.object({ index: z.number(), sub_type: z.string(), value: z.string() })).optional(),
    })
    .nullable(),
  context: z.object({ message_id: z.string() }).nullable(),
  status: SandboxDeliveryStatusSchema,
  errors: z.array(z.object({ code: z.number(), title: z.string() })),
  /** ISO time the phone received it. */
  timestamp: z.string(),
  /** The message object as the business sent it (without messaging_product/to). */
  message: z.record(z.string(), z.unknown()),
  /** The business's own reaction to this message, when it reacted to it. */
  business_reaction: z.string().optional(),
});
export type SandboxInboxEntry = z.infer<typeof SandboxInboxEntrySchema>;

/** `GET /sandbox/phones/:waId/inbox`. */
export const SandboxInboxSchema = z.array(SandboxInboxEntrySchema);

/**
 * `GET /sandbox/phones/:waId`: the phone's window, what it received (`inbox`) and sent (`outbox`),
 * and when the business last showed it WhatsApp's typing indicator (`last_typing_at`, ISO or null;
 * WhatsApp shows it for 25 s or until the business's next message).
 */
export const SandboxPhoneSchema = z.looseObject({
  wa_id: z.string().nullable(),
  user_id: z.string(),
  profile_name: z.string(),
  window: z.object({ open: z.boolean(), closes_at: z.string().nullable() }),
  last_typing_at: z.string().nullable(),
  inbox: SandboxInboxSchema,
  outbox: z.array(z.object({ wamid: z.string(), type: z.string(), timestamp: z.string(), read_by_business: z.boolean() })),
});
export type SandboxPhone = z.infer<typeof SandboxPhoneSchema>;
