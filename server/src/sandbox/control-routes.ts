/**
 * The sandbox's own controls: `GET /sandbox/` (an overview), `GET|POST|DELETE /sandbox/faults`,
 * `GET|POST|DELETE /sandbox/subscribed-apps` (the app's subscription to the account's webhooks).
 */
import Router from '@koa/router';
import type { SandboxContext } from './context.ts';
import { SandboxInputError, badInput } from './errors.ts';
import { FaultBodySchema } from './faults.ts';
import { readGraphFields } from './request-body.ts';

export function controlRoutes(sb: SandboxContext): Router {
  const router = new Router({ prefix: '/sandbox' });

  router.get('/', (ctx) => {
    ctx.body = {
      sandbox: true,
      phone_number_id: sb.business.phoneNumberId,
      waba_id: sb.business.wabaId,
      display_phone_number: sb.business.displayPhoneNumber,
      webhook_url: sb.sender.webhookUrl,
      subscribed: sb.subscription.subscribed,
      chaos: sb.chaos,
      allowed_recipients: sb.allowedRecipients ? [...sb.allowedRecipients] : null,
      templates: sb.templates.all().length,
      faults: sb.faults.pending(),
      ...sb.state.counts(),
      refusals: Object.fromEntries(sb.state.refusals),
      endpoints: {
        graph: '/sandbox/graph/{version}/...',
        phone_send: 'POST /sandbox/phones/{wa_id}/messages',
        phone_inbox: 'GET /sandbox/phones/{wa_id}/inbox',
        phones: 'GET /sandbox/phones',
        phone_identity: 'POST /sandbox/phones/{wa_id or user_id}/identity',
        phone_preferences: 'POST /sandbox/phones/{wa_id or user_id}/preferences',
        groups: 'POST /sandbox/groups, POST /sandbox/groups/{group_id}/messages, GET /sandbox/groups/{group_id}',
        faults: 'POST|DELETE /sandbox/faults',
        account_events: 'POST /sandbox/account-events',
        subscribed_apps: 'GET|POST|DELETE /sandbox/subscribed-apps',
        templates: 'GET /sandbox/templates, POST /sandbox/templates/events',
      },
    };
  });

  // The app's subscription to the account's webhooks, as someone in Meta's dashboard would change
  // it (the Graph API has the same under /{waba-id}/subscribed_apps, behind the bearer token).
  // While unsubscribed the sandbox delivers no webhook at all, as Meta does.
  router.get('/subscribed-apps', (ctx) => {
    ctx.body = { subscribed: sb.subscription.subscribed };
  });

  router.post('/subscribed-apps', (ctx) => {
    sb.subscription.subscribed = true;
    sb.logger.info('sandbox app subscribed to the account webhooks');
    ctx.body = { subscribed: true };
  });

  router.delete('/subscribed-apps', (ctx) => {
    sb.subscription.subscribed = false;
    sb.logger.info('sandbox app unsubscribed from the account webhooks: webhooks are dropped');
    ctx.body = { subscribed: false };
  });

  router.get('/faults', (ctx) => {
    ctx.body = { faults: sb.faults.pending() };
  });

  router.post('/faults', async (ctx) => {
    if (!ctx.is('application/json')) throw new SandboxInputError(415, 'unsupported_media_type', 'send the fault as application/json');
    const fields = await readGraphFields(ctx, 4096, (message) => badInput(message));
    const parsed = FaultBodySchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badInput(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
    const { kind, count, token } = parsed.data;
    if (kind === 'token_expired') {
      const expiring = token ?? sb.accessToken;
      if (!expiring) throw badInput('token: this sandbox accepts any token; name the one that expires');
      sb.faults.expireToken(expiring, sb.now());
    } else {
      sb.faults.add(kind, count);
    }
    sb.logger.info({ kind: parsed.data.kind, count: parsed.data.count }, 'sandbox fault injected');
    ctx.status = 201;
    ctx.body = { faults: sb.faults.pending() };
  });

  router.delete('/faults', (ctx) => {
    sb.faults.clear();
    ctx.body = { faults: [] };
  });

  return router;
}
