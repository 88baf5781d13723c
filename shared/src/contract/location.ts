/**
 * A place an agent shares (`message_type: "location"`): coordinates in degrees, optionally the
 * place's name and address, as WhatsApp's location message carries them.
 */
import { z } from 'zod';

export const MAX_LOCATION_TEXT = 1000;

const degrees = (what: string, limit: number) =>
  z
    .number({ error: `${what} must be a number of degrees` })
    .refine(Number.isFinite, `${what} must be a finite number`)
    .min(-limit, `${what} must be between -${limit} and ${limit}`)
    .max(limit, `${what} must be between -${limit} and ${limit}`);

const label = (what: string) =>
  z
    .string()
    .trim()
    .max(MAX_LOCATION_TEXT, `${what} must be at most ${MAX_LOCATION_TEXT} characters`)
    .transform((s) => s || undefined)
    .optional();

export const SharedLocationSchema = z
  .object({
    latitude: degrees('latitude', 90),
    longitude: degrees('longitude', 180),
    name: label('name'),
    address: label('address'),
  })
  .meta({ id: 'SharedLocation' });
export type SharedLocation = z.infer<typeof SharedLocationSchema>;
