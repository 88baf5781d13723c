/** WhatsApp templates for agents: `/admin/api/templates…`. */
import { z } from 'zod';
import { TemplateJsonSchema } from '../api.ts';
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
export const TemplatePreviewBodySchema = z.object({ language: z.string().min(2).max(15), parameters: templateParameters.default([]) });

export const TemplateListSchema = listOf(TemplateJsonSchema);
export const TemplateSyncResponseSchema = TemplateListSchema.extend({ synced: z.number() });
export const TemplatePreviewSchema = z.object({ template: TemplateJsonSchema, text: z.string(), missing: z.number() });
export type TemplatePreview = z.infer<typeof TemplatePreviewSchema>;

export type TemplateListQuery = z.infer<typeof TemplateListQuerySchema>;
export type TemplatePreviewQuery = z.infer<typeof TemplatePreviewQuerySchema>;
export type TemplatePreviewBody = z.infer<typeof TemplatePreviewBodySchema>;
export type TemplateList = z.infer<typeof TemplateListSchema>;
export type TemplateSyncResponse = z.infer<typeof TemplateSyncResponseSchema>;
