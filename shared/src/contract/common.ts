/** Shapes every area shares: the error body, list pages, `{ ok: true }`. */
import { z } from 'zod';

/** `{ error: { code, message } }`, the body of every error response (error-codes.ts lists the codes). */
export const ApiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export const ErrorBodySchema = z.object({ error: ApiErrorSchema }).meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A page of a list: `{ data, next_cursor }` (`?cursor=` for the next page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

/** A list that is never paged: `{ data }`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item) });
}

export const OkSchema = z.object({ ok: z.literal(true) });

/** The query of a paged list: `?cursor=&limit=` (limit between 1 and `max`, `fallback` when absent). */
export function pageQuery(max: number, fallback: number) {
  return z.object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(max).default(fallback),
  });
}
