/** What site owners set for the widget (admin → Settings), served to the widget at start. */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM');

export const BusinessHoursSchema = z.object({
  enabled: z.boolean().default(false),
  timezone: z.string().min(1).max(64).default('UTC'),
  /** 0 = Sunday … 6 = Saturday; days not listed are closed. */
  days: z
    .array(z.object({ day: z.number().int().min(0).max(6), open: hhmm, close: hhmm }))
    .max(14)
    .default([1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' }))),
});

export const WidgetSettingsSchema = z.object({
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb').default('#0b57d0'),
  position: z.enum(['right', 'left']).default('right'),
  greeting: z.string().max(300).default('Hi! How can we help you today?'),
  away_message: z.string().max(300).default('We are away right now. Leave a message and we will get back to you.'),
  ask_name: z.boolean().default(false),
  ask_email: z.boolean().default(false),
  ask_whatsapp: z.boolean().default(true),
  /** Offer "continue on WhatsApp" (wa.me link) to visitors. */
  whatsapp_handoff: z.boolean().default(true),
  business_hours: BusinessHoursSchema.default({ enabled: false, timezone: 'UTC', days: [] }),
});
export type WidgetSettings = z.infer<typeof WidgetSettingsSchema>;
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** What GET /api/widget/config returns to the widget. */
export interface WidgetConfigJson extends Omit<WidgetSettings, 'business_hours'> {
  site_name: string;
  online: boolean;
  whatsapp_number: string | null;
}
