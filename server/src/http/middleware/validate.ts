/**
 * Request input is parsed with a zod schema from shared/ before a handler runs, and the handler
 * gets it typed from that schema: `withBody(Schema, (ctx, body) => …)`. A value the schema refuses
 * is a 400 `validation_failed` naming the first problem (`field: message`), with every issue in
 * `details`.
 */
import type { RouterContext, RouterMiddleware } from '@koa/router';
import type { z } from 'zod';
import { validationFailed } from '../../errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    throw validationFailed(first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid input', issues);
  }
  return result.data;
}

type Handler<T> = (ctx: RouterContext, input: T) => Promise<void> | void;

/** The parsed request body (after a body parser: jsonBody, multipartUpload's fields). */
export function withBody<S extends z.ZodType>(schema: S, handler: Handler<z.output<S>>): RouterMiddleware {
  return (ctx) => handler(ctx, parseInput(schema, (ctx.request as { body?: unknown }).body ?? {}));
}

/** The parsed query string. */
export function withQuery<S extends z.ZodType>(schema: S, handler: Handler<z.output<S>>): RouterMiddleware {
  return (ctx) => handler(ctx, parseInput(schema, ctx.query));
}
