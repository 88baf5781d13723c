/**
 * The team: agents (listed for assignment; invited, re-roled and removed by admins) and API tokens
 * for scripts (each shown once at creation, with scopes and an optional expiry; admins see and
 * revoke everyone's, agents their own). Removing an agent or changing a role ends every session,
 * socket and token of that agent at once. Tokens never create tokens or admins, nor change roles.
 */
import Router from '@koa/router';
import { ChangeRoleSchema, CreateTokenSchema, DEFAULT_API_SCOPES, InviteAgentSchema, type AgentJson, type ApiTokenJson } from '@connectdesk/shared';
import type { AuthService } from '../../auth/auth-service.ts';
import { generatePassword } from '../../auth/passwords.ts';
import type { ApiTokenInfo, ApiTokensRepo } from '../../db/repos/api-tokens-repo.ts';
import type { User, UsersRepo } from '../../db/repos/users-repo.ts';
import { AppError, notFound } from '../../errors.ts';
import { agentOf, agentStateOf, requireAdminRole } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireScope, sessionOnly } from '../middleware/scopes.ts';
import { withBody } from '../middleware/validate.ts';

export interface AdminTeamDeps {
  auth: AuthService;
  users: UsersRepo;
  apiTokens: ApiTokensRepo;
}

function agentJson(u: User): AgentJson {
  return { id: u.id, email: u.email, name: u.name, role: u.role, created_at: new Date(u.createdAt).toISOString() };
}

function tokenJson(t: ApiTokenInfo, owners: Map<string, User>): ApiTokenJson {
  const owner = owners.get(t.userId);
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    user_id: t.userId,
    user_name: owner?.name ?? null,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
    expires_at: t.expiresAt,
  };
}

export function adminTeamRoutes(deps: AdminTeamDeps): Router {
  const router = new Router({ prefix: '/admin/api' });
  const admin = requireAdminRole();
  const team = requireScope('team');

  router.get('/agents', requireScope('team', 'conversations:read'), async (ctx) => {
    ctx.body = { data: (await deps.users.list()).map(agentJson) };
  });

  router.post(
    '/agents',
    team,
    admin,
    jsonBody('8kb'),
    withBody(InviteAgentSchema, async (ctx, input) => {
      if (input.role === 'admin' && agentStateOf(ctx).via === 'token') {
        throw new AppError('insufficient_scope', 'API tokens cannot create admins; sign in to the admin app');
      }
      const password = generatePassword();
      const user = await deps.auth.createUser({ email: input.email, name: input.name, role: input.role, password });
      ctx.status = 201;
      // The generated password is shown exactly once; only its hash is stored.
      ctx.body = { agent: agentJson(user), password };
    }),
  );

  router.patch(
    '/agents/:id',
    sessionOnly('change roles'),
    admin,
    jsonBody('8kb'),
    withBody(ChangeRoleSchema, async (ctx, { role }) => {
      ctx.body = { agent: agentJson(await deps.auth.changeRole(agentOf(ctx), ctx.params.id!, role)) };
    }),
  );

  router.delete('/agents/:id', team, admin, async (ctx) => {
    const target = await deps.users.byId(ctx.params.id!);
    if (target?.role === 'admin' && agentStateOf(ctx).via === 'token') {
      throw new AppError('insufficient_scope', 'API tokens cannot remove admins; sign in to the admin app');
    }
    // Disabling (not deleting) keeps authorship of past messages; sessions, sockets and tokens end now.
    await deps.auth.removeUser(agentOf(ctx), ctx.params.id!);
    ctx.status = 204;
  });

  router.get('/tokens', team, async (ctx) => {
    const me = agentOf(ctx);
    const owners = new Map((await deps.users.list()).map((u) => [u.id, u]));
    const tokens = (await deps.apiTokens.list()).filter((t) => me.role === 'admin' || t.userId === me.id);
    ctx.body = { data: tokens.map((t) => tokenJson(t, owners)) };
  });

  router.post(
    '/tokens',
    sessionOnly('create API tokens'),
    jsonBody('8kb'),
    withBody(CreateTokenSchema, async (ctx, input) => {
      const me = agentOf(ctx);
      const created = await deps.auth.createApiToken(me, {
        name: input.name,
        scopes: input.scopes ?? DEFAULT_API_SCOPES,
        expiresAt: input.expires_at ? Date.parse(input.expires_at) : null,
      });
      ctx.status = 201;
      // The token itself is shown exactly once; only its hash is stored.
      ctx.body = { token: created.token, api_token: tokenJson(created.info, new Map([[me.id, me]])) };
    }),
  );

  router.delete('/tokens/:id', team, async (ctx) => {
    const me = agentOf(ctx);
    const token = await deps.apiTokens.byId(ctx.params.id!);
    if (!token || (me.role !== 'admin' && token.userId !== me.id)) throw notFound('API token');
    await deps.apiTokens.revoke(token.id);
    ctx.status = 204;
  });

  return router;
}
