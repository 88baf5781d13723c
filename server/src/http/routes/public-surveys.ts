/**
 * The satisfaction survey for visitors over plain HTTP (the widget uses its socket):
 * `GET /api/surveys/current?visitor_token=` → `{ survey }` (or null) and
 * `POST /api/surveys/:id/answer` `{ visitor_token, rating, comment? }` → `{ survey }`;
 * 409 `survey_answered`, 410 `survey_expired`, 404 for a survey that is not this visitor's.
 */
import Router from '@koa/router';
import { PublicSurveyAnswerSchema } from '@connectdesk/shared';
import type { ContactRow } from '../../db/repos/contacts-repo.ts';
import { AppError } from '../../errors.ts';
import { rateLimitedError, type TrafficLimits } from '../../limits/traffic-limits.ts';
import type { SurveyService } from '../../satisfaction/survey-service.ts';
import { addressKey } from '../../requests/client-address.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { withBody } from '../middleware/validate.ts';

export interface PublicSurveyDeps {
  surveys: SurveyService;
  visitorByToken(token: string): Promise<ContactRow | null>;
  limits: TrafficLimits;
}

export function publicSurveyRoutes(deps: PublicSurveyDeps): Router {
  const router = new Router({ prefix: '/api/surveys' });

  async function visitor(token: string, address: string): Promise<ContactRow> {
    const contact = await deps.visitorByToken(token);
    const limit = await deps.limits.identify.take(address, contact ? `contact:${contact.id}` : null);
    if (!limit.allowed) throw rateLimitedError('too many survey requests; wait a moment', limit.retryAfterSeconds);
    if (!contact) throw new AppError('not_found', 'no conversation for this visitor_token');
    return contact;
  }

  router.get('/current', async (ctx) => {
    const token = typeof ctx.query.visitor_token === 'string' ? ctx.query.visitor_token : '';
    if (!token) throw new AppError('validation_failed', 'visitor_token is required');
    const contact = await visitor(token, addressKey(ctx.ip));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { survey: await deps.surveys.pendingForVisitor(contact.id) };
  });

  router.post(
    '/:id/answer',
    jsonBody('8kb'),
    withBody(PublicSurveyAnswerSchema, async (ctx, input) => {
      const contact = await visitor(input.visitor_token, addressKey(ctx.ip));
      ctx.body = { survey: await deps.surveys.answerFromVisitor(contact.id, ctx.params.id!, { rating: input.rating, comment: input.comment }) };
    }),
  );

  return router;
}
