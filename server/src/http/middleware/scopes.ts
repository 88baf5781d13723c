/**
 * What API tokens may reach. Every admin route starts with one of these guards (createApp refuses
 * to start otherwise, see assertEveryRouteScoped): `requireScope(...)` lets a token through only
 * with one of the scopes named; `sessionOnly()` never lets a token through (creating tokens,
 * creating admins, changing roles, changing a password). A signed-in session is never limited by
 * scopes — roles still apply to both.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ApiScope } from '@connectdesk/shared';
import { AppError } from '../../errors.ts';
import type { AgentState } from './auth.ts';

const SCOPE_GUARD = Symbol('scope guard');
type Guard = Middleware & { [SCOPE_GUARD]: true };

function guard(mw: Middleware): Guard {
  return Object.assign(mw, { [SCOPE_GUARD]: true as const });
}

/** A token needs one of `scopes`; a session passes. */
export function requireScope(...scopes: ApiScope[]): Guard {
  return guard(async (ctx, next) => {
    const agent = ctx.state.agent as AgentState | undefined;
    if (agent?.via === 'token' && !scopes.some((s) => agent.scopes.includes(s))) {
      throw new AppError('insufficient_scope', `this API token lacks the scope ${scopes.join(' or ')}`, { required: scopes });
    }
    return next();
  });
}

/** Only a signed-in session (the admin app), never an API token. */
export function sessionOnly(what: string): Guard {
  return guard(async (ctx, next) => {
    const agent = ctx.state.agent as AgentState | undefined;
    if (agent?.via === 'token') throw new AppError('insufficient_scope', `API tokens cannot ${what}; sign in to the admin app`);
    return next();
  });
}

/** Any authenticated caller, tokens with any scopes included (e.g. `GET /me`). */
export function anyCaller(): Guard {
  return guard(async (_ctx, next) => next());
}

/** Throws naming each route of these routers that has no scope guard of its own. */
export function assertEveryRouteScoped(routers: Router[]): void {
  const missing: string[] = [];
  for (const router of routers) {
    for (const layer of router.stack) {
      if (layer.methods.length === 0) continue; // router.use() middleware, not a route
      if (!layer.stack.some((mw) => (mw as Partial<Guard>)[SCOPE_GUARD] === true)) missing.push(`${layer.methods.join('|')} ${String(layer.path)}`);
    }
  }
  if (missing.length > 0) throw new Error(`admin routes without a scope guard (add requireScope/sessionOnly): ${missing.join(', ')}`);
}
