/** The outermost middleware: every error becomes `{ error: { code, message } }` with its status. */
import type { Middleware } from 'koa';
import type { Logger } from '../../logger.ts';
import { isAppError } from '../../errors.ts';

export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isAppError(err)) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
        const retryAfter = (err.details as { retry_after?: number } | undefined)?.retry_after;
        if (retryAfter) ctx.set('Retry-After', String(retryAfter));
        return;
      }
      const e = err as { status?: number; expose?: boolean; message?: string; type?: string };
      const status = typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
      if (status === 413 || e.type === 'entity.too.large') {
        ctx.status = 413;
        ctx.body = { error: { code: 'payload_too_large', message: 'request body is too large' } };
      } else if (status === 400 && (e.type === 'entity.parse.failed' || /JSON|parse/i.test(e.message ?? ''))) {
        ctx.status = 400;
        ctx.body = { error: { code: 'bad_json', message: 'request body is not valid JSON' } };
      } else if (status < 500) {
        // A client error from a library (body parsers, routers): its status stands, its message
        // only when the library marked it safe to show.
        ctx.status = status;
        const code = status === 404 ? 'not_found' : status === 415 ? 'unsupported_media_type' : 'validation_failed';
        ctx.body = { error: { code, message: e.expose && e.message ? e.message : 'the request could not be processed' } };
      } else {
        ((ctx.state.log as Logger | undefined) ?? logger).error({ err }, 'unhandled error');
        ctx.status = 500;
        ctx.body = { error: { code: 'internal', message: 'something went wrong on our side' } };
      }
    }
  };
}
