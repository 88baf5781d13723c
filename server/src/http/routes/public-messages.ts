/** `POST /api/messages` and `GET /api/messages?visitor_token=`: visitors over plain HTTP. */
import Router from '@koa/router';
import { VisitorMessageBodySchema } from '@connectdesk/shared';
import type { ChatService } from '../../conversations/chat-service.ts';
import { AppError } from '../../errors.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateBody } from '../middleware/validate.ts';
import { RateLimiter } from '../rate-limiter.ts';

export function publicMessageRoutes(chat: ChatService, limits = { perIpPerMinute: 60 }): Router {
  const router = new Router({ prefix: '/api/messages' });
  const perIp = new RateLimiter(limits.perIpPerMinute, 60_000);
  const perVisitor = new RateLimiter(30, 60_000);

  router.use(async (ctx, next) => {
    // Any site may post here (forms, integrations); no cookies are involved.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Headers', 'Content-Type');
    ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    await next();
  });

  router.post('/', async (ctx, next) => {
    const limit = perIp.hit(ctx.ip);
    if (!limit.allowed) throw new AppError('rate_limited', 'too many messages from this address; wait a minute', { retry_after: limit.retryAfterSeconds });
    await next();
  }, jsonBody('16kb'), validateBody(VisitorMessageBodySchema), async (ctx) => {
    const body = ctx.state.input as import('@connectdesk/shared').VisitorMessageBody;
    if (body.visitor_token && !perVisitor.hit(body.visitor_token).allowed) throw new AppError('rate_limited', 'you are sending messages too fast');
    const result = await chat.receiveVisitorMessage(
      { ...body, email: body.email || null, phone: body.phone || null, site: ctx.get('origin') || null },
      { userAgent: ctx.get('user-agent') || null },
    );
    ctx.status = result.created ? 201 : 200;
    ctx.body = { conversation_id: result.conversation.id, message_id: result.message.id, visitor_token: result.visitorToken, message: result.message };
  });

  router.get('/', async (ctx) => {
    const token = typeof ctx.query.visitor_token === 'string' ? ctx.query.visitor_token : '';
    if (!token) throw new AppError('validation_failed', 'visitor_token is required');
    const contact = await chat.visitorByToken(token);
    if (!contact) throw new AppError('not_found', 'no conversation for this visitor_token');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: await chat.visitorHistory(contact, 500), next_cursor: null };
  });

  return router;
}
