/** The inbox: conversations, their messages, replies, notes, templates, resolve/assign, retry. */
import Router from '@koa/router';
import { AdminSendMessageSchema, ConversationListQuerySchema, ConversationPatchSchema, MessageListQuerySchema } from '@connectdesk/shared';
import type { ChatService } from '../../conversations/chat-service.ts';
import { agentOf } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withBody, withQuery } from '../middleware/validate.ts';

export function adminConversationRoutes(chat: ChatService): Router {
  const router = new Router({ prefix: '/admin/api' });
  const read = requireScope('conversations:read');
  const write = requireScope('conversations:write');

  router.get(
    '/conversations',
    read,
    withQuery(ConversationListQuerySchema, async (ctx, q) => {
      ctx.body = await chat.listConversations(
        { status: q.status, channel: q.channel, assignee: q.assignee, userId: agentOf(ctx).id, q: q.q || undefined, contactId: q.contact_id },
        q.limit,
        q.cursor,
      );
    }),
  );

  router.get('/conversations/:id', read, async (ctx) => {
    ctx.body = { conversation: await chat.conversation(ctx.params.id!) };
  });

  router.patch(
    '/conversations/:id',
    write,
    jsonBody(),
    withBody(ConversationPatchSchema, async (ctx, patch) => {
      ctx.body = { conversation: await chat.updateConversation(ctx.params.id!, patch, agentOf(ctx)) };
    }),
  );

  router.post('/conversations/:id/read', write, async (ctx) => {
    ctx.body = { conversation: await chat.markConversationRead(ctx.params.id!, ctx.state.requestId as string) };
  });

  router.get(
    '/conversations/:id/messages',
    read,
    withQuery(MessageListQuerySchema, async (ctx, q) => {
      ctx.body = await chat.listMessages(ctx.params.id!, q.limit, q.cursor);
    }),
  );

  router.post(
    '/conversations/:id/messages',
    write,
    jsonBody(),
    withBody(AdminSendMessageSchema, async (ctx, reply) => {
      ctx.status = 201;
      ctx.body = await chat.sendAgentMessage(ctx.params.id!, reply, agentOf(ctx), ctx.state.requestId as string);
    }),
  );

  router.post('/messages/:id/retry', write, async (ctx) => {
    ctx.body = { message: await chat.retryMessage(ctx.params.id!, ctx.state.requestId as string) };
  });

  return router;
}
