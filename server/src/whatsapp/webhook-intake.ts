/**
 * `POST /api/whatsapp/webhook`: Meta's deliveries, the busiest door of the server. The raw bytes are
 * read (at most 3 MB → 413), the `X-Hub-Signature-256` HMAC is checked over exactly those bytes
 * whenever an app secret is set (missing or wrong → 401, nothing stored), the JSON is checked
 * (→ 400), and the delivery is stored before the 200; it is applied afterwards.
 *
 * It is served straight from node:http, ahead of Koa (main.ts routes this one method and path
 * here): Meta may deliver thousands a second, and per request Koa's context, middleware chain and
 * routers cost several times what this handler does. It answers exactly as the Koa app would —
 * the same `{ error: { code, message } }` bodies, statuses and security headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_STATUS, WebhookBodySchema, type ErrorCode } from '@connectdesk/shared';
import { requestInfo } from '../requests/request-id.ts';
import type { Logger } from '../logger.ts';
import type { WebhookInbox } from './webhook-inbox.ts';
import { isValidSignature } from './webhook-signature.ts';

const WEBHOOK_PATH = '/api/whatsapp/webhook';
const WEBHOOK_MAX_BYTES = 3 * 1024 * 1024;

export interface WebhookIntakeDeps {
  appSecret: string | null;
  inbox: WebhookInbox;
  logger: Logger;
  maxBytes?: number;
}

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class WebhookIntake {
  private readonly limit: number;

  private readonly logger: WebhookIntakeDeps['logger'];
  private readonly appSecret: WebhookIntakeDeps['appSecret'];
  private readonly inbox: WebhookIntakeDeps['inbox'];

  constructor(deps: WebhookIntakeDeps) {
    this.logger = deps.logger;
    this.appSecret = deps.appSecret;
    this.inbox = deps.inbox;
    this.limit = deps.maxBytes ?? WEBHOOK_MAX_BYTES;
  }

  /** True for the requests this handler answers (any query string is ignored, as Koa's router does). */
  handles(req: IncomingMessage): boolean {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    return url === WEBHOOK_PATH || (url.startsWith(WEBHOOK_PATH) && url[WEBHOOK_PATH.length] === '?');
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const request = requestInfo(req);
    request.route = WEBHOOK_PATH;
    this.process(req, request.id).then(
      ({ stored }) => send(res, 200, `{"ok":true,"duplicate":${!stored}}`, started),
      (err: unknown) => {
        if (err instanceof Refusal) {
          // A body we stopped reading part-way: close the connection rather than drain megabytes.
          if (!req.complete) res.setHeader('Connection', 'close');
          send(res, ERROR_STATUS[err.code], JSON.stringify({ error: { code: err.code, message: err.message } }), started);
          if (!req.complete) req.resume();
          return;
        }
        this.logger.error({ err, method: 'POST', path: WEBHOOK_PATH, requestId: request.id }, 'webhook intake failed');
        send(res, 500, JSON.stringify({ error: { code: 'internal', message: 'something went wrong on our side' } }), started);
      },
    );
  }

  private async process(req: IncomingMessage, requestId: string): Promise<{ stored: boolean }> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.limit) throw new Refusal('payload_too_large', `webhook bodies may be at most ${this.limit} bytes`);
    const raw = await readBody(req, this.limit);
    const signature = req.headers['x-hub-signature-256'];
    if (this.appSecret !== null && !isValidSignature(raw, typeof signature === 'string' ? signature : undefined, this.appSecret)) {
      throw new Refusal('invalid_signature', 'X-Hub-Signature-256 is missing or does not match the body');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new Refusal('bad_json', 'the body is not valid JSON');
    }
    const body = WebhookBodySchema.safeParse(json);
    if (!body.success) {
      const issue = body.error.issues[0];
      throw new Refusal('validation_failed', `not a WhatsApp webhook body: ${issue?.path.join('.')} ${issue?.message}`);
    }
    return this.inbox.accept(raw, requestId);
  }
}

/** The body as sent, refused with 413 as soon as it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new Refusal('payload_too_large', `webhook bodies may be at most ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Refusal('validation_failed', `could not read the body: ${err.message}`));
    };
    const onAborted = () => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function send(res: ServerResponse, status: number, body: string, started: number): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Server-Timing': `app;dur=${(performance.now() - started).toFixed(1)}`,
  });
  res.end(body);
}
