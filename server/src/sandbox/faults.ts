/**
 * Fault injection: `POST /sandbox/faults { kind, count }` makes the next `count` Graph calls fail
 * that way — `http_500` (a bare 500 page), `timeout` (held past any sane client timeout),
 * `rate_limit` (Meta's 130429) or `network` (socket destroyed). Queued faults run in order;
 * `DELETE /sandbox/faults` clears them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'koa';
import { z } from 'zod';
import { metaErrors } from './errors.ts';

const FAULT_KINDS = ['http_500', 'timeout', 'rate_limit', 'network'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultBodySchema = z.object({
  kind: z.enum(FAULT_KINDS, { message: `kind must be one of ${FAULT_KINDS.join(', ')}` }),
  count: z.number({ message: 'count must be a whole number from 1 to 10000' }).int().min(1).max(10_000).default(1),
});

export class Faults {
  private readonly queue: { kind: FaultKind; remaining: number }[] = [];

  add(kind: FaultKind, count: number): void {
    this.queue.push({ kind, remaining: count });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The fault for this call, if any is pending. */
  take(): FaultKind | null {
    const head = this.queue[0];
    if (!head) return null;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queue.shift();
    return head.kind;
  }

  pending(): { kind: FaultKind; remaining: number }[] {
    return this.queue.map((f) => ({ ...f }));
  }
}

/** Answers (or refuses to answer) a Graph call the way the fault says. */
export async function applyFault(ctx: Context, kind: FaultKind, opts: { holdMs: number; stopSignal: AbortSignal }): Promise<void> {
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
