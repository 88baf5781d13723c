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
