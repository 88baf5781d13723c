/**
 * Socket events are validated like HTTP bodies, with the payload schemas from shared/
 * (contract/realtime-events.ts): the handler gets the payload typed from the schema, and the
 * listener is typed as the event map expects it. Errors go back in the ack as `{ ok: false, error }`.
 */
import type { Ack } from '@connectdesk/shared';
import type { z } from 'zod';
import { isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** socket.io delivers binary attachments as Buffers, which zod's object schemas would take as an empty object. */
function isBinary(payload: unknown): boolean {
  return payload instanceof ArrayBuffer || ArrayBuffer.isView(payload);
}

/** An acknowledged event: the ack gets `{ ok: true, ...result }`, or `{ ok: false, error }`. */
export function validateEvent<S extends z.ZodType, R extends object>(
  schema: S,
  logger: Logger,
  handler: (payload: z.output<S>) => Promise<R> | R,
): (payload: z.input<S>, ack?: Ack<R>) => void {
  return (payload, ack) => {
    const reply = (res: Parameters<Ack<R>>[0]) => {
      if (typeof ack === 'function') ack(res);
    };
    // A payload is JSON, never bytes (an identify with no fields would otherwise create a visitor).
    if (isBinary(payload)) {
      reply({ ok: false, error: { code: 'validation_failed', message: 'payload: expected a JSON object, received binary data' } });
      return;
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      reply({ ok: false, error: { code: 'validation_failed', message: issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid payload' } });
      return;
    }
    Promise.resolve()
      .then(() => handler(parsed.data))
      .then((result) => reply({ ok: true, ...result }))
      .catch((err: unknown) => {
        if (isAppError(err)) reply({ ok: false, error: { code: err.code, message: err.message } });
        else {
          logger.error({ err }, 'socket handler failed');
          reply({ ok: false, error: { code: 'internal', message: 'something went wrong on our side' } });
        }
      });
  };
}

/** A signal without an ack (typing, read, idle): an invalid payload is dropped. */
export function onValidEvent<S extends z.ZodType>(schema: S, handler: (payload: z.output<S>) => void): (payload: z.input<S>) => void {
  return (payload) => {
    if (isBinary(payload)) return;
    const parsed = schema.safeParse(payload);
    if (parsed.success) handler(parsed.data);
  };
}
