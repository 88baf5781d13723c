/** JSON (and form) bodies for API routes; the webhook reads its raw bytes itself. */
import { koaBody } from 'koa-body';
import { AppError } from '../../errors.ts';

/**
 * What the body parser's failures mean to the client. A new AppError is thrown in their place, so
 * the parser's error — which carries the raw body, passwords included — never reaches a log line.
 */
function bodyParseError(err: Error & { status?: number; type?: string }): AppError {
  if (err.status === 413 || err.type === 'entity.too.large') return new AppError('payload_too_large', 'request body is too large');
  if (err.status === 415 || err.type === 'encoding.unsupported') return new AppError('unsupported_media_type', 'request body encoding is not supported');
  // JSON.parse accepts "__proto__" as a key; the parser refuses it, and so do we, plainly.
  if (/forbidden prototype property/.test(err.message)) return new AppError('validation_failed', 'the body may not contain a "__proto__" key');
  return new AppError('bad_json', 'request body is not valid JSON');
}

export function jsonBody(limit = '64kb') {
  return koaBody({
    json: true,
    urlencoded: true,
    text: false,
    multipart: false,
    jsonLimit: limit,
    formLimit: limit,
    jsonStrict: true,
    onError: (err) => {
      throw bodyParseError(err);
    },
  });
}
