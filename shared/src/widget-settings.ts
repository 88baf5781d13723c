/** What site owners set for the widget (admin → Settings), served to the widget at start. */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM');

export const BusinessHoursSchema = z
  .object({
    enabled: z.boolean().default(false),
    timezone: z.string().min(1).max(64).default('UTC'),
    /** 0 = Sunday … 6 = Saturday; days not listed are closed. */
    days: z
      .array(z.object({ day: z.number().int().min(0).max(6), open: hhmm, close: hhmm }))
      .max(14)
      .default([1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' }))),
  })
  .meta({ id: 'BusinessHours' });

export const WidgetSettingsSchema = z
  .object({
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb')
      .default('#0b57d0'),
    position: z.enum(['right', 'left']).default('right'),
    greeting: z.string().max(300).default('Hi! How can we help you today?'),
    away_message: z.string().max(300).default('We are away right now. Leave a message and we will get back to you.'),
    ask_name: z.boolean().default(false),
    ask_email: z.boolean().default(false),
    ask_whatsapp: z.boolean().default(true),
    /** Offer "continue on WhatsApp" (wa.me link) to visitors. */
    whatsapp_handoff: z.boolean().default(true),
    /** Light or dark panel; `auto` follows the visitor's system (prefers-color-scheme). */
    theme: z.enum(['auto', 'light', 'dark']).default('auto'),
    business_hours: BusinessHoursSchema.default({ enabled: false, timezone: 'UTC', days: [] }),
  })
  .meta({ id: 'WidgetSettings' });
export type WidgetSettings = z.infer<typeof WidgetSettingsSchema>;
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** What GET /api/widget/config returns to the widget. */
export const WidgetConfigJsonSchema = WidgetSettingsSchema.omit({ business_hours: true }).extend({
  site_name: z.string(),
  /** Within business hours now (always true when business hours are off). */
  online: z.boolean(),
  /** At least one agent is online in the admin app right now (live updates: the socket's `presence`). */
  agents_online: z.boolean(),
  /** When business hours next begin (ISO), while outside them; null within them or when they are off. */
  next_open_at: z.string().nullable(),
  whatsapp_number: z.string().nullable(),
});
export type WidgetConfigJson = z.infer<typeof WidgetConfigJsonSchema>;
