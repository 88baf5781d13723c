/** Parse the request body or query with a zod schema from shared/; the result goes on ctx.state.input. */
import type { Context, Middleware } from 'koa';
import type { z } from 'zod';
import { validationFailed } from '../../errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    throw validationFailed(first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid input', issues);
  }
  return result.data;
}

export function validateBody<S extends z.ZodType>(schema: S): Middleware {
  return async (ctx: Context, next) => {
    ctx.state.input = parseInput(schema, (ctx.request as { body?: unknown }).body ?? {});
    await next();
  };
}

export function validateQuery<S extends z.ZodType>(schema: S): Middleware {
  return async (ctx: Context, next) => {
    ctx.state.query = parseInput(schema, ctx.query);
    await next();
  };
}
