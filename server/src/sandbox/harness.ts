/**
 * A sandbox on its own HTTP port plus a webhook receiver that checks every signature over the raw
 * bytes — what the sandbox and GraphClient tests (and anyone testing webhook consumers) run
 * against. Everything listens on 127.0.0.1, port 0.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createLogger, type Logger } from '../logger.ts';
import { GraphClient, type GraphClientOptions } from '../whatsapp/graph-client.ts';
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox.ts';

interface ReceivedWebhook {
  raw: string;
  body: any;
  signature: string | undefined;
  signatureValid: boolean;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer with (default 200); a function decides per delivery. */
  respondWith(status: number | ((w: Omit<ReceivedWebhook, 'status'>, index: number) => number)): void;
  /** Resolves once `predicate` holds for the deliveries so far (checked on every arrival). */
  until<T>(predicate: (all: ReceivedWebhook[]) => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(appSecret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const events = new EventEmitter();
  let decide: (w: Omit<ReceivedWebhook, 'status'>, index: number) => number = () => 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-hub-signature-256'] as string | undefined;
      const expected = Buffer.from(`sha256=${createHmac('sha256', appSecret).update(raw, 'utf8').digest('hex')}`);
      const given = Buffer.from(signature ?? '');
      const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      const partial = { raw, body, signature, signatureValid };
      const status = decide(partial, received.length);
      received.push({ ...partial, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'EVENT_RECEIVED' : 'nope');
      events.emit('delivery');
    });
  });
  const url = await listen(server);
  return {
    url: `${url}/webhook`,
    received,
    respondWith(s) {
      decide = typeof s === 'number' ? () => s : s;
    },
    until(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const v = predicate(received);
          if (v) {
            cleanup();
            resolve(v);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${received.length} deliveries)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          events.off('delivery', check);
        };
        events.on('delivery', check);
        check();
      });
    },
    close: () => close(server),
  };
}

export interface SandboxHarness {
  /** http://127.0.0.1:port */
  url: string;
  /** Base URL for GraphClient. */
  graphUrl: string;
  sandbox: Sandbox;
  receiver: WebhookReceiver;
  /** A GraphClient pointed at this sandbox (harness token, phone number and WABA by default). */
  client(overrides?: Partial<GraphClientOptions>): GraphClient;
  /** The simulated phone `waId` writes to the business; answers the sandbox's JSON. */
  phoneSends(waId: string, message: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** What `waId` received. */
  inbox(waId: string): Promise<any[]>;
  close(): Promise<void>;
}

export type HarnessOptions = Partial<Omit<SandboxOptions, 'logger' | 'webhookUrl'>> & { logger?: Logger; withWebhookUrl?: boolean };

const HARNESS_DEFAULTS = { phoneNumberId: '100000000000001', wabaId: '200000000000001', appSecret: 'harness-app-secret', accessToken: 'harness-token' };

export async function startSandboxHarness(opts: HarnessOptions = {}): Promise<SandboxHarness> {
  const appSecret = opts.appSecret ?? HARNESS_DEFAULTS.appSecret;
  const receiver = await startWebhookReceiver(appSecret);
  const sandbox = createSandbox({
    ...HARNESS_DEFAULTS,
    statusDelaysMs: { sent: 5, delivered: 5, read: 5 },
    webhookRetry: { attempts: 4, baseDelayMs: 20 },
    ...opts,
    accessToken: opts.accessToken === undefined ? HARNESS_DEFAULTS.accessToken : opts.accessToken,
    appSecret,
    webhookUrl: opts.withWebhookUrl === false ? null : receiver.url,
    logger: opts.logger ?? createLogger({ level: 'silent' }),
  });
  const app = new Koa();
  app.use(sandbox.middleware);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'not a sandbox path';
  });
  const server = http.createServer(app.callback());
  const url = await listen(server);
  const graphUrl = `${url}/sandbox/graph`;
  return {
    url,
    graphUrl,
    sandbox,
    receiver,
    client: (overrides = {}) =>
      new GraphClient({
        baseUrl: graphUrl,
        version: 'v25.0',
        token: opts.accessToken ?? HARNESS_DEFAULTS.accessToken,
        phoneNumberId: opts.phoneNumberId ?? HARNESS_DEFAULTS.phoneNumberId,
        wabaId: opts.wabaId ?? HARNESS_DEFAULTS.wabaId,
        timeoutMs: 2000,
        ...overrides,
      }),
    async phoneSends(waId, message) {
      const res = await fetch(`${url}/sandbox/phones/${waId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      return { status: res.status, body: await res.json() };
    },
    async inbox(waId) {
      const res = await fetch(`${url}/sandbox/phones/${waId}/inbox`);
      if (res.status !== 200) throw new Error(`inbox of ${waId}: HTTP ${res.status}`);
      return (await res.json()) as any[];
    },
    async close() {
      await sandbox.stop();
      server.closeAllConnections();
      await close(server);
      await receiver.close();
    },
  };
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
