/** The inbox: conversations, their messages, replies, notes, templates, resolve/assign, retry. */
import Router from '@koa/router';
import { z } from 'zod';
import { AdminSendMessageSchema, type AdminSendMessage } from '@connectdesk/shared';
import type { ChatService } from '../../conversations/chat-service.ts';
import { agentOf } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { parseInput, validateBody } from '../middleware/validate.ts';

const ListQuery = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  channel: z.enum(['web', 'whatsapp']).optional(),
  assignee: z.string().max(32).optional(),
  contact_id: z.string().max(32).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

const MessagesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const PatchSchema = z
  .object({ status: z.enum(['open', 'resolved']).optional(), assignee_id: z.string().max(32).nullable().optional() })
  .refine((p) => p.status !== undefined || p.assignee_id !== undefined, 'nothing to change: send status and/or assignee_id');

export function adminConversationRoutes(chat: ChatService): Router {
  const router = new Router({ prefix: '/admin/api' });

  router.get('/conversations', async (ctx) => {
    const q = parseInput(ListQuery, ctx.query);
    ctx.body = await chat.listConversations(
      { status: q.status, channel: q.channel, assignee: q.assignee, userId: agentOf(ctx).id, q: q.q || undefined, contactId: q.contact_id },
      q.limit,
      q.cursor,
    );
  });

  router.get('/conversations/:id', async (ctx) => {
    ctx.body = { conversation: await chat.conversation(ctx.params.id!) };
  });

  router.patch('/conversations/:id', jsonBody(), validateBody(PatchSchema), async (ctx) => {
    ctx.body = { conversation: await chat.updateConversation(ctx.params.id!, ctx.state.input as z.infer<typeof PatchSchema>) };
  });

  router.post('/conversations/:id/read', async (ctx) => {
    ctx.body = { conversation: await chat.markConversationRead(ctx.params.id!) };
  });

  router.get('/conversations/:id/messages', async (ctx) => {
    const q = parseInput(MessagesQuery, ctx.query);
    ctx.body = await chat.listMessages(ctx.params.id!, q.limit, q.cursor);
  });

  router.post('/conversations/:id/messages', jsonBody(), validateBody(AdminSendMessageSchema), async (ctx) => {
    const message = await chat.sendAgentMessage(ctx.params.id!, ctx.state.input as AdminSendMessage, agentOf(ctx));
    ctx.status = 201;
    ctx.body = { message };
  });

  router.post('/messages/:id/retry', async (ctx) => {
    ctx.body = { message: await chat.retryMessage(ctx.params.id!) };
  });

  return router;
}
