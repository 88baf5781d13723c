/**
 * `pnpm sandbox`: the sandbox on its own port — its own tiny composition root. Servers point at it
 * with WHATSAPP_GRAPH_URL=<this URL>/sandbox/graph; webhooks go to SANDBOX_WEBHOOK_URL.
 * Env: PORT (default 4010), HOST (default 127.0.0.1), WHATSAPP_ACCESS_TOKEN (any token when unset;
 * required when HOST is not loopback), WHATSAPP_APP_SECRET (random per start when unset — set it to
 * the servers' value so they can verify the webhooks), WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_WABA_ID,
 * SANDBOX_WEBHOOK_URL, SANDBOX_CHAOS, WHATSAPP_MPS, SANDBOX_PAIR_BURST and SANDBOX_PAIR_INTERVAL_MS (the pair
 * rate, 131056: Meta's 45 at once and one per 6 s by default), LOG_LEVEL.
 * Other machines reach the Graph API with the token; the controls (phones, faults) answer this
 * machine, and others that send the same token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { z } from 'zod';
import { generateSecret } from '../config.ts';
import { createLogger } from '../logger.ts';
import { isLoopbackHostname } from '../loopback.ts';
import { loopbackOrBearer } from './access.ts';
import { createSandbox } from './sandbox.ts';

const EnvSchema = z
  .object({
    PORT: z.string().regex(/^\d+$/, 'PORT must be a port number').default('4010').transform(Number).pipe(z.number().max(65535, 'PORT must be at most 65535')),
    HOST: z.string().min(1).default('127.0.0.1'),
    WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
    WHATSAPP_APP_SECRET: z.string().min(1).optional(),
    WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'WHATSAPP_PHONE_NUMBER_ID must be digits').default('100000000000001'),
    WHATSAPP_WABA_ID: z.string().regex(/^\d+$/, 'WHATSAPP_WABA_ID must be digits').default('200000000000001'),
    SANDBOX_WEBHOOK_URL: z.string().url('SANDBOX_WEBHOOK_URL must be a URL').optional(),
    SANDBOX_CHAOS: z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'SANDBOX_CHAOS must be true or false' }).optional(),
    WHATSAPP_MPS: z.string().regex(/^\d+$/, 'WHATSAPP_MPS must be a whole number').transform(Number).optional(),
    SANDBOX_PAIR_BURST: z
      .string()
      .regex(/^\d+$/, 'SANDBOX_PAIR_BURST must be a whole number')
      .transform(Number)
      .pipe(z.number().min(1, 'SANDBOX_PAIR_BURST must be at least 1'))
      .optional(),
    SANDBOX_PAIR_INTERVAL_MS: z
      .string()
      .regex(/^\d+$/, 'SANDBOX_PAIR_INTERVAL_MS must be a whole number')
      .transform(Number)
      .pipe(z.number().min(100, 'SANDBOX_PAIR_INTERVAL_MS must be at least 100'))
      .optional(),
    LOG_LEVEL: z.string().default('info'),
  })
  .refine((env) => env.WHATSAPP_ACCESS_TOKEN || isLoopbackHostname(env.HOST), {
    path: ['WHATSAPP_ACCESS_TOKEN'],
    message: 'set a token when HOST is not a loopback address, so only your servers can use this sandbox',
  });

async function main(): Promise<void> {
  const blank = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(blank);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`config error: ${issue.path.join('.')}: ${issue.message}\n`);
    process.exit(78);
  }
  const env = parsed.data;
  const logger = createLogger({ level: env.LOG_LEVEL, pretty: process.stdout.isTTY === true });
  if (!env.WHATSAPP_APP_SECRET)
    logger.warn('WHATSAPP_APP_SECRET is not set: webhooks are signed with a random secret; set it to your servers’ value so they can verify them');
  const sandbox = createSandbox({
    phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
    wabaId: env.WHATSAPP_WABA_ID,
    appSecret: env.WHATSAPP_APP_SECRET ?? generateSecret(),
    accessToken: env.WHATSAPP_ACCESS_TOKEN ?? null,
    access: loopbackOrBearer(env.WHATSAPP_ACCESS_TOKEN ?? null),
    webhookUrl: env.SANDBOX_WEBHOOK_URL ?? null,
    chaos: env.SANDBOX_CHAOS !== undefined && /^(1|true|yes|on)$/.test(env.SANDBOX_CHAOS),
    messagesPerSecond: env.WHATSAPP_MPS,
    pairRate: { burst: env.SANDBOX_PAIR_BURST ?? 45, intervalMs: env.SANDBOX_PAIR_INTERVAL_MS ?? 6_000 },
    logger,
  });

  const app = new Koa();
  app.silent = true;
  app.use(sandbox.middleware);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { error: { code: 'not_found', message: 'the sandbox serves /sandbox/ only' } };
  });
  const server = http.createServer(app.callback());
  server.on('error', (err: NodeJS.ErrnoException) => {
    process.stderr.write(err.code === 'EADDRINUSE' ? `error: port ${env.PORT} is already in use; set PORT to a free port\n` : `error: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(env.PORT, env.HOST, () => {
    const { port } = server.address() as AddressInfo;
    const url = `http://${env.HOST}:${port}`;
    logger.info(
      { url, graphUrl: `${url}/sandbox/graph`, webhookUrl: env.SANDBOX_WEBHOOK_URL ?? null, anyToken: !env.WHATSAPP_ACCESS_TOKEN },
      'WhatsApp sandbox listening',
    );
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'sandbox shutting down');
    void sandbox.stop().then(() => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
