/** JSON (and form) bodies for API routes; the webhook reads its raw bytes itself. */
import { koaBody } from 'koa-body';

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
      throw err;
    },
  });
}
