/**
 * Fault injection: `POST /sandbox/faults { kind, count }` makes the next `count` Graph calls fail
 * that way — `http_500` (a bare 500 page), `timeout` (held past any sane client timeout),
 * `rate_limit` (Meta's 130429), `network` (socket destroyed), `account_rate_limit` (80007 with
 * HTTP 400) and `account_rate_limit_429` (80007 with HTTP 429). Two apply to sends only (other
 * calls pass them by): `spam_rate_limit` (131048) and `ecosystem_limit` (131049: Meta accepts the
 * send, then a `failed` status webhook says it was not delivered). Queued faults run in order.
 * `token_expired` is not counted: the access token (`token`, default the sandbox's own) expires —
 * every call with it gets 190 with subcode 463 — until `DELETE /sandbox/faults`, which clears
 * everything as if a new token had been issued.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'koa';
import { z } from 'zod';
import { metaErrors } from './errors.ts';

const FAULT_KINDS = [
  'http_500',
  'timeout',
  'rate_limit',
  'network',
  'account_rate_limit',
  'account_rate_limit_429',
  'spam_rate_limit',
  'ecosystem_limit',
  'token_expired',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
type QueuedFault = Exclude<FaultKind, 'token_expired'>;
/** Faults only a send (`POST /{phone-number-id}/messages`) takes. */
export type SendFault = 'spam_rate_limit' | 'ecosystem_limit';
const SEND_ONLY: ReadonlySet<FaultKind> = new Set<FaultKind>(['spam_rate_limit', 'ecosystem_limit']);

export const FaultBodySchema = z.object({
  kind: z.enum(FAULT_KINDS, { message: `kind must be one of ${FAULT_KINDS.join(', ')}` }),
  count: z.number({ message: 'count must be a whole number from 1 to 10000' }).int().min(1).max(10_000).default(1),
  /** token_expired: the token that expires (default: the sandbox's own). */
  token: z.string().min(1).max(1000).optional(),
});

export class Faults {
  private readonly queue: { kind: QueuedFault; remaining: number }[] = [];
  private readonly expired = new Map<string, number>();

  add(kind: QueuedFault, count: number): void {
    this.queue.push({ kind, remaining: count });
  }

  /** Every call with this token gets 190/463 from now on (until clear()). */
  expireToken(token: string, at: number): void {
    this.expired.set(token, at);
  }

  /** When this token expired, or null while it is valid. */
  expiredAt(token: string): number | null {
    return this.expired.get(token) ?? null;
  }

  clear(): void {
    this.queue.length = 0;
    this.expired.clear();
  }

  /** The fault for this Graph call, if one is pending; send-only faults wait for a send. */
  take(): Exclude<QueuedFault, SendFault> | null {
    const head = this.queue[0];
    if (!head || SEND_ONLY.has(head.kind)) return null;
    return this.consume() as Exclude<QueuedFault, SendFault>;
  }

  /** The send-only fault for this send, if one is next. */
  takeForSend(): SendFault | null {
    const head = this.queue[0];
    if (!head || !SEND_ONLY.has(head.kind)) return null;
    return this.consume() as SendFault;
  }

  private consume(): QueuedFault {
    const head = this.queue[0]!;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queue.shift();
    return head.kind;
  }

  pending(): { kind: FaultKind; remaining: number }[] {
    return [...this.queue.map((f) => ({ ...f })), ...[...this.expired.keys()].map(() => ({ kind: 'token_expired' as const, remaining: 1 }))];
  }
}

/** Answers (or refuses to answer) a Graph call the way the fault says. */
export async function applyFault(ctx: Context, kind: Exclude<QueuedFault, SendFault>, opts: { holdMs: number; stopSignal: AbortSignal }): Promise<void> {
  switch (kind) {
    case 'network':
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    case 'http_500':
      ctx.status = 500;
      ctx.type = 'text/html';
      ctx.body = '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';
      return;
    case 'rate_limit':
      throw metaErrors.throughput();
    case 'account_rate_limit':
      throw metaErrors.accountRateLimit(400);
    case 'account_rate_limit_429':
      throw metaErrors.accountRateLimit(429);
    case 'timeout': {
      const gone = new AbortController();
      const onClose = () => gone.abort();
      ctx.res.once('close', onClose);
      try {
        await sleep(opts.holdMs, undefined, { signal: AbortSignal.any([gone.signal, opts.stopSignal]) });
      } catch {
        // The client gave up or the sandbox is stopping: stop holding.
      } finally {
        ctx.res.off('close', onClose);
      }
      if (gone.signal.aborted) {
        ctx.respond = false;
        return;
      }
      throw metaErrors.serviceUnavailable();
    }
  }
}
