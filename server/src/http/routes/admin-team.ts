/**
 * The team: agents (listed for assignment; invited and removed by admins) and API tokens for
 * scripts (each shown once at creation; admins see and revoke everyone's, agents their own).
 */
import Router from '@koa/router';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.ts';
import { generatePassword } from '../../auth/passwords.ts';
import type { ApiTokenInfo, ApiTokensRepo } from '../../db/repos/api-tokens-repo.ts';
import type { User, UsersRepo } from '../../db/repos/users-repo.ts';
import { AppError, notFound } from '../../errors.ts';
import { agentOf, requireAdminRole } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateBody } from '../middleware/validate.ts';

export interface AdminTeamDeps {
  auth: AuthService;
  users: UsersRepo;
  apiTokens: ApiTokensRepo;
}

export const InviteAgentSchema = z.object({
  email: z.string().trim().toLowerCase().email('email is not a valid address').max(254),
  name: z.string().trim().min(1, 'name is required').max(100),
  role: z.enum(['admin', 'agent']).default('agent'),
});
export type InviteAgent = z.infer<typeof InviteAgentSchema>;

export const CreateTokenSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
});

export function agentJson(u: User) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, created_at: new Date(u.createdAt).toISOString() };
}

function tokenJson(t: ApiTokenInfo, owners: Map<string, User>) {
  const owner = owners.get(t.userId);
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    user_id: t.userId,
    user_name: owner?.name ?? null,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
  };
}

export function adminTeamRoutes(deps: AdminTeamDeps): Router {
  const router = new Router({ prefix: '/admin/api' });

  router.get('/agents', async (ctx) => {
    ctx.body = { data: (await deps.users.list()).map(agentJson) };
  });

  router.post('/agents', requireAdminRole(), jsonBody('8kb'), validateBody(InviteAgentSchema), async (ctx) => {
    const input = ctx.state.input as InviteAgent;
    const password = generatePassword();
    const user = await deps.auth.createUser({ email: input.email, name: input.name, role: input.role, password });
    ctx.status = 201;
    // The generated password is shown exactly once; only its hash is stored.
    ctx.body = { agent: agentJson(user), password };
  });

  router.delete('/agents/:id', requireAdminRole(), async (ctx) => {
    const id = ctx.params.id!;
    if (id === agentOf(ctx).id) throw new AppError('conflict', 'you cannot remove yourself; ask another admin');
    const user = await deps.users.byId(id);
    if (!user || user.disabledAt) throw notFound('agent');
    if (user.role === 'admin') {
      const admins = (await deps.users.list()).filter((u) => u.role === 'admin');
      if (admins.length <= 1) throw new AppError('conflict', 'the last admin cannot be removed');
    }
    // Disabling (not deleting) keeps authorship of past messages; sessions and tokens end now.
    await deps.users.disable(id);
    ctx.status = 204;
  });

  router.get('/tokens', async (ctx) => {
    const me = agentOf(ctx);
    const owners = new Map((await deps.users.list()).map((u) => [u.id, u]));
    const tokens = (await deps.apiTokens.list()).filter((t) => me.role === 'admin' || t.userId === me.id);
    ctx.body = { data: tokens.map((t) => tokenJson(t, owners)) };
  });

  router.post('/tokens', jsonBody('8kb'), validateBody(CreateTokenSchema), async (ctx) => {
    const me = agentOf(ctx);
    const { name } = ctx.state.input as z.infer<typeof CreateTokenSchema>;
    const created = await deps.auth.createApiToken(me.id, name);
    const info = (await deps.apiTokens.list()).find((t) => t.id === created.id)!;
    ctx.status = 201;
    // The token itself is shown exactly once; only its hash is stored.
    ctx.body = { token: created.token, api_token: tokenJson(info, new Map([[me.id, me]])) };
  });

  router.delete('/tokens/:id', async (ctx) => {
    const me = agentOf(ctx);
    const token = (await deps.apiTokens.list()).find((t) => t.id === ctx.params.id);
    if (!token || (me.role !== 'admin' && token.userId !== me.id)) throw notFound('API token');
    await deps.apiTokens.revoke(token.id);
    ctx.status = 204;
  });

  return router;
}
