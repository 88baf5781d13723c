/** The inbox over REST: `/admin/api/conversations…` and `/admin/api/messages/:id/retry`. */
import { z } from 'zod';
import { ChannelSchema, ConversationJsonSchema, MessageJsonSchema } from '../api.ts';
import { pageOf, pageQuery } from './common.ts';

export { AdminSendMessageSchema, AgentReplyJsonSchema, type AdminSendMessage, type AgentReplyJson } from '../api.ts';

export const ConversationListQuerySchema = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  channel: ChannelSchema.optional(),
  assignee: z.string().max(32).optional(),
  contact_id: z.string().max(32).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const MessageListQuerySchema = pageQuery(200, 50);

export const ConversationPatchSchema = z
  .object({ status: z.enum(['open', 'resolved']).optional(), assignee_id: z.string().max(32).nullable().optional() })
  .refine((p) => p.status !== undefined || p.assignee_id !== undefined, 'nothing to change: send status and/or assignee_id');
export type ConversationPatch = z.infer<typeof ConversationPatchSchema>;

export const ConversationPageSchema = pageOf(ConversationJsonSchema);
export const MessagePageSchema = pageOf(MessageJsonSchema);
export const ConversationResponseSchema = z.object({ conversation: ConversationJsonSchema });
export const MessageResponseSchema = z.object({ message: MessageJsonSchema });

export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;
export type MessageListQuery = z.infer<typeof MessageListQuerySchema>;
export type ConversationPage = z.infer<typeof ConversationPageSchema>;
export type MessagePage = z.infer<typeof MessagePageSchema>;
export type ConversationResponse = z.infer<typeof ConversationResponseSchema>;
export type MessageResponse = z.infer<typeof MessageResponseSchema>;
