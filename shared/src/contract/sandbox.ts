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
      header: z.string().optional(),
      footer: z.string().optional(),
      buttons: z.array(z.string()).optional(),
    })
    .nullable(),
  context: z.object({ message_id: z.string() }).nullable(),
  status: SandboxDeliveryStatusSchema,
  errors: z.array(z.object({ code: z.number(), title: z.string() })),
  /** ISO time the phone received it. */
  timestamp: z.string(),
  /** The message object as the business sent it (without messaging_product/to). */
  message: z.record(z.string(), z.unknown()),
});
export type SandboxInboxEntry = z.infer<typeof SandboxInboxEntrySchema>;

/** `GET /sandbox/phones/:waId/inbox`. */
export const SandboxInboxSchema = z.array(SandboxInboxEntrySchema);
