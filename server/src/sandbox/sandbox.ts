/**
 * createSandbox: a faithful local WhatsApp Cloud API as one Koa middleware serving `/sandbox/*`:
 * the Graph API at `/sandbox/graph/{version}/...`, simulated phones, fault injection, and the
 * short-lived media URLs. It delivers signed webhooks to `webhookUrl` (settable later).
 */
import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../logger.ts';
import { loopbackOnly, type SandboxAccess } from './access.ts';
import type { SandboxContext } from './context.ts';
import { controlRoutes } from './control-routes.ts';
import { accountEventRoutes } from './account-webhooks.ts';
import { TemplateBook } from './template-book.ts';
import { templateRoutes } from './template-routes.ts';
import { MetaError, SandboxInputError } from './errors.ts';
import { Faults } from './faults.ts';
import { LOOKASIDE_PATH, downloadMedia } from './graph-media.ts';
import { GRAPH_PREFIX, bearerCheck, handleGraph } from './graph-router.ts';
import { phoneRoutes } from './phones.ts';
import { groupRoutes } from './groups.ts';
import { SendLimits } from './rate-limits.ts';
import { SandboxState } from './state.ts';
import { StatusFlow, type StatusDelays } from './status-flow.ts';
import { WebhookSender } from './webhook-sender.ts';

export interface SandboxOptions {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber?: string;
  /** Signs every webhook (X-Hub-Signature-256: sha256=<hex HMAC of the exact raw body>). */
  appSecret: string;
  /** Bearer required on Graph paths; null = any token accepted. */
  accessToken: string | null;
  /** Who may use the controls (phones, faults, overview) and the Graph API; default: this machine for the controls. */
  access?: SandboxAccess;
  /** Where webhooks are POSTed; may be set later. */
  webhookUrl: string | null;
  /** Default 80 → error 130429 above it. */
  messagesPerSecond?: number;
  /** Duplicate and reorder status webhooks. */
  chaos?: boolean;
  /** Development-mode allow list → 131030 for others; null = everyone. */
  allowedRecipients?: string[] | null;
  logger: Logger;
  now?: () => number;
  /** Pair rate (131056): burst allowance and one more message per interval. Default 45 / 6 s (Meta's). */
  pairRate?: { burst: number; intervalMs: number };
  /** Delays before each status webhook. Default sent 50 ms, delivered +150 ms, read +600 ms. */
  statusDelaysMs?: Partial<StatusDelays>;
  /** Webhook delivery retries. Default 6 attempts, first retry after 1 s, doubling. */
  webhookRetry?: { attempts?: number; baseDelayMs?: number; timeoutMs?: number };
  /** How long a `timeout` fault holds the request (released earlier by stop). Default 30 s. */
  faultHoldMs?: number;
  /** For webhook deliveries (tests). */
  fetch?: typeof fetch;
  random?: () => number;
}

export interface Sandbox {
  /** Serves every /sandbox/* path; other paths → next(). */
  middleware: Middleware;
  setWebhookUrl(url: string): void;
  /** Cancels timers and pending deliveries. */
  stop(): Promise<void>;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const now = opts.now ?? Date.now;
  const logger = opts.logger.child({ component: 'sandbox' });
  const stopper = new AbortController();
  const business = {
    phoneNumberId: opts.phoneNumberId,
    wabaId: opts.wabaId,
    displayPhoneNumber: (opts.displayPhoneNumber ?? `1555${opts.phoneNumberId.slice(-7).padStart(7, '0')}`).replace(/\D/g, ''),
  };
  const state = new SandboxState(now);
  // The app starts subscribed; DELETE /{waba-id}/subscribed_apps stops every webhook until a POST.
  const subscription = { subscribed: true };
  const sender = new WebhookSender({
    appSecret: opts.appSecret,
    webhookUrl: opts.webhookUrl,
    logger,
    fetch: opts.fetch,
    attempts: opts.webhookRetry?.attempts,
    baseDelayMs: opts.webhookRetry?.baseDelayMs,
    timeoutMs: opts.webhookRetry?.timeoutMs,
    subscribed: () => subscription.subscribed,
  });
  const flow = new StatusFlow({
    business,
    state,
    sender,
    logger,
    chaos: opts.chaos ?? false,
    delays: { sent: 50, delivered: 150, read: 600, ...opts.statusDelaysMs },
    now,
    random: opts.random ?? Math.random,
  });
  const sb: SandboxContext = {
    business,
    accessToken: opts.accessToken,
    allowedRecipients: opts.allowedRecipients ? new Set(opts.allowedRecipients.map((p) => p.replace(/\D/g, ''))) : null,
    chaos: opts.chaos ?? false,
    state,
    templates: new TemplateBook(now),
    limits: new SendLimits({
      messagesPerSecond: opts.messagesPerSecond ?? 80,
      pairBurst: opts.pairRate?.burst ?? 45,
      pairIntervalMs: opts.pairRate?.intervalMs ?? 6000,
      now,
    }),
    flow,
    sender,
    faults: new Faults(),
    subscription,
    logger,
    now,
    mediaUrlKey: randomBytes(32),
    stopSignal: stopper.signal,
  };

  const phones = phoneRoutes(sb);
  const groups = groupRoutes(sb);
  const controls = controlRoutes(sb);
  const accountEvents = accountEventRoutes(sb);
  const templates = templateRoutes(sb);
  // Router middleware adds ctx.params/ctx.router itself; Koa's plain Middleware type does not know that.
  const ownRoutes = chain([
    phones.routes(),
    phones.allowedMethods({ throw: true }),
    groups.routes(),
    groups.allowedMethods({ throw: true }),
    controls.routes(),
    controls.allowedMethods({ throw: true }),
    accountEvents.routes(),
    accountEvents.allowedMethods({ throw: true }),
    templates.routes(),
    templates.allowedMethods({ throw: true }),
  ] as Middleware[]);
  const faultHoldMs = opts.faultHoldMs ?? 30_000;
  const access = opts.access ?? loopbackOnly;

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== '/sandbox' && !ctx.path.startsWith('/sandbox/')) return next();
    const graph = ctx.path.startsWith(GRAPH_PREFIX);
    const lookaside = ctx.path === LOOKASIDE_PATH;
    try {
      if (graph || lookaside) await access.graph?.(ctx);
      else await access.control(ctx);
      if (graph) await handleGraph(ctx, sb, { faultHoldMs });
      else if (lookaside && ctx.method === 'GET') downloadMedia(ctx, sb, bearerCheck(sb));
      else {
        await ownRoutes(ctx);
        if (ctx.status === 404 && ctx.body === undefined) {
          throw new SandboxInputError(404, 'not_found', `no sandbox route for ${ctx.method} ${ctx.path}`);
        }
      }
    } catch (err) {
      if (graph && err instanceof MetaError) state.refused(err.code);
      respondWithError(ctx, err, graph || lookaside, logger);
    }
  };

  return {
    middleware,
    setWebhookUrl(url) {
      logger.info({ webhookUrl: url }, 'sandbox webhooks go to this URL');
      sender.setUrl(url);
    },
    async stop() {
      stopper.abort();
      flow.stop();
      await sender.stop();
    },
  };
}

/** Runs middleware in order, each calling the next (koa-compose in a few lines). */
function chain(stack: Middleware[]): (ctx: Context) => Promise<void> {
  return (ctx) => {
    const run = async (i: number): Promise<void> => {
      const mw = stack[i];
      if (mw) await mw(ctx, () => run(i + 1));
    };
    return run(0);
  };
}

function respondWithError(ctx: Context, err: unknown, metaStyle: boolean, logger: Logger): void {
  if (err instanceof MetaError) {
    ctx.status = err.httpStatus;
    ctx.body = err.toBody();
    if (err.httpStatus === 401) ctx.set('WWW-Authenticate', 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token"');
    return;
  }
  if (err instanceof SandboxInputError) {
    ctx.status = err.status;
    ctx.body = { error: { code: err.code, message: err.message } };
    return;
  }
  const status = (err as { status?: number }).status;
  if (typeof status === 'number' && (((err as { expose?: boolean }).expose && status < 500) || status === 501)) {
    ctx.status = status;
    const code = status === 405 ? 'method_not_allowed' : status === 501 ? 'not_implemented' : 'validation_failed';
    ctx.body = { error: { code, message: (err as Error).message } };
    return;
  }
  logger.error({ err, path: ctx.path }, 'sandbox request failed');
  ctx.status = 500;
  ctx.body = metaStyle
    ? new MetaError(500, 1, 'An unknown error occurred', undefined, { transient: true }).toBody()
    : { error: { code: 'internal', message: 'the sandbox failed to handle this request' } };
}
