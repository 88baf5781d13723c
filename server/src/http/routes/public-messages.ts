/**
 * `POST /api/messages` and `GET /api/messages?visitor_token=`: visitors over plain HTTP, from any
 * site (CORS: middleware/public-cors.ts).
 */
import Router from '@koa/router';
import { VisitorMessageBodySchema } from '@connectdesk/shared';
import type { ChatService } from '../../conversations/chat-service.ts';
import { AppError } from '../../errors.ts';
import { rateLimitedError, type TrafficLimits } from '../../limits/traffic-limits.ts';
import { addressKey } from '../../requests/client-address.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { withBody } from '../middleware/validate.ts';

/**
 * Limits (limits/traffic-limits.ts): a message without a known visitor_token is a new visitor
 * for the address; every message counts per visitor and, fairly, per address.
 */
export function publicMessageRoutes(chat: ChatService, limits: TrafficLimits): Router {
  const router = new Router({ prefix: '/api/messages' });

  router.post(
    '/',
    jsonBody('16kb'),
    withBody(VisitorMessageBodySchema, async (ctx, body) => {
      const address = addressKey(ctx.ip);
      const known = body.visitor_token ? await chat.visitorByToken(body.visitor_token) : null;
      if (!known) {
        const fresh = await limits.newVisitors.take(address);
        if (!fresh.allowed) throw rateLimitedError('too many new visitors from this address; wait a minute', fresh.retryAfterSeconds);
      }
      const limit = await limits.messages.take(address, known ? `contact:${known.id}` : null);
      if (!limit.allowed) {
        throw rateLimitedError(
          limit.scope === 'identity' ? 'you are sending messages too fast; wait a moment' : 'too many messages from this address; wait a minute',
          limit.retryAfterSeconds,
        );
      }
      const result = await chat.receiveVisitorMessage(
        { ...body, email: body.email || null, phone: body.phone || null, site: ctx.get('origin') || null },
        { known, userAgent: ctx.get('user-agent') || null, requestId: ctx.state.requestId as string },
      );
      ctx.status = result.created ? 201 : 200;
      ctx.body = { conversation_id: result.conversation.id, message_id: result.message.id, visitor_token: result.visitorToken, message: result.message };
    }),
  );

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
