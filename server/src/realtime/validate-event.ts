/** Socket events are validated like HTTP bodies; errors go back in the ack as `{ ok: false, error }`. */
import type { z } from 'zod';
import { isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

type AckFn = (res: unknown) => void;

export function validateEvent<S extends z.ZodType>(
  schema: S,
  logger: Logger,
  handler: (payload: z.infer<S>) => Promise<unknown> | unknown,
): (payload: unknown, ack?: unknown) => void {
  return (payload, ack) => {
    const reply: AckFn = typeof ack === 'function' ? (ack as AckFn) : () => {};
    // socket.io delivers binary attachments as Buffers, which zod's object schemas would take as
    // an empty object (an identify with no fields, creating a visitor): a payload is JSON, never bytes.
    if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)) {
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
      .then((result) => reply({ ok: true, ...(result as object | undefined) }))
      .catch((err: unknown) => {
        if (isAppError(err)) reply({ ok: false, error: { code: err.code, message: err.message } });
        else {
          logger.error({ err }, 'socket handler failed');
          reply({ ok: false, error: { code: 'internal', message: 'something went wrong on our side' } });
        }
      });
  };
}

