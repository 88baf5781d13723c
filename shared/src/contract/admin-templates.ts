/** WhatsApp templates for agents: `/admin/api/templates…`. */
import { z } from 'zod';
import { TemplateJsonSchema, TemplateSendSchema } from '../api.ts';
import { listOf } from './common.ts';

export const TemplateListQuerySchema = z.object({
  status: z.string().trim().max(32).optional(),
  language: z.string().trim().max(15).optional(),
  name: z.string().trim().max(512).optional(),
});

const templateParameters = z.array(z.string().max(1024)).max(20);
/** `GET …/:name/preview?language=&parameters=`: `parameters` may repeat. */
export const TemplatePreviewQuerySchema = z.object({
  language: z.string().min(2).max(15),
  parameters: z.union([z.string().max(1024), templateParameters]).optional(),
});
/** `POST …/:name/preview`: everything a send takes (parameters by position or name, header, buttons), checked like a send. */
export const TemplatePreviewBodySchema = TemplateSendSchema.omit({ name: true });

export const TemplateListSchema = listOf(TemplateJsonSchema);
export const TemplateSyncResponseSchema = TemplateListSchema.extend({ synced: z.number() });
export const TemplatePreviewSchema = z.object({
  template: TemplateJsonSchema,
  text: z.string(),
  /** The header filled (text), or `[image]`… for a media header; null without one. */
  header: z.string().nullable(),
  missing: z.number(),
  /** What a send with these values would be refused for (empty when it would go). */
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
  /** The `components` WhatsApp would get. */
  components: z.array(z.looseObject({ type: z.string() })),
});
export type TemplatePreview = z.infer<typeof TemplatePreviewSchema>;

export type TemplateListQuery = z.infer<typeof TemplateListQuerySchema>;
export type TemplatePreviewQuery = z.infer<typeof TemplatePreviewQuerySchema>;
export type TemplatePreviewBody = z.infer<typeof TemplatePreviewBodySchema>;
export type TemplateList = z.infer<typeof TemplateListSchema>;
export type TemplateSyncResponse = z.infer<typeof TemplateSyncResponseSchema>;
