/** Files agents send: `POST /admin/api/media` (multipart, field `file`). */
import { z } from 'zod';

export const MediaUploadResponseSchema = z.object({
  media_id: z.string(),
  media: z.object({ id: z.string(), mime: z.string().nullable(), size: z.number(), filename: z.string().nullable() }),
});
export type MediaUploadResponse = z.infer<typeof MediaUploadResponseSchema>;

/** The multipart form of an upload, as OpenAPI describes it (the file in `file`). */
export const AgentUploadFormSchema = z.object({ file: z.string().meta({ format: 'binary' }) });

export type AgentUploadForm = z.infer<typeof AgentUploadFormSchema>;

/** `GET /admin/api/media?kind=&limit=`: files agents uploaded, newest first (saved assets for template headers). */
export const MediaListQuerySchema = z.object({
  kind: z.enum(['image', 'video', 'document']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(24),
});
export const MediaListSchema = z.object({
  data: z.array(z.object({ id: z.string(), mime: z.string(), size: z.number(), filename: z.string().nullable(), url: z.string() })),
});
export type MediaListQuery = z.infer<typeof MediaListQuerySchema>;
export type MediaList = z.infer<typeof MediaListSchema>;
