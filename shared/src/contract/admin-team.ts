/** The team: agents (`/admin/api/agents`) and API tokens (`/admin/api/tokens`). */
import { z } from 'zod';
import { API_SCOPES } from '../api-scopes.ts';
import { listOf } from './common.ts';
import { RoleSchema, UserJsonSchema } from './admin-session.ts';

export const InviteAgentSchema = z.object({
  email: z.string().trim().toLowerCase().email('email is not a valid address').max(254),
  name: z.string().trim().min(1, 'name is required').max(100),
  role: RoleSchema.default('agent'),
});
export type InviteAgent = z.infer<typeof InviteAgentSchema>;

export const ChangeRoleSchema = z.object({ role: RoleSchema });
export type ChangeRole = z.infer<typeof ChangeRoleSchema>;

export const ApiScopeSchema = z.enum(API_SCOPES, `scopes may be ${API_SCOPES.join(', ')}`);

export const CreateTokenSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  scopes: z.array(ApiScopeSchema).min(1, 'give at least one scope').max(API_SCOPES.length).optional(),
  expires_at: z.iso.datetime({ offset: true, message: 'expires_at must be an ISO 8601 date-time, like 2027-01-31T00:00:00Z' }).nullable().optional(),
});
export type CreateToken = z.infer<typeof CreateTokenSchema>;

export const AgentJsonSchema = UserJsonSchema.extend({ created_at: z.string() }).meta({ id: 'Agent' });
export type AgentJson = z.infer<typeof AgentJsonSchema>;

export const ApiTokenJsonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(ApiScopeSchema),
    user_id: z.string(),
    user_name: z.string().nullable(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    expires_at: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiTokenJson = z.infer<typeof ApiTokenJsonSchema>;

export const AgentListSchema = listOf(AgentJsonSchema);
export const AgentResponseSchema = z.object({ agent: AgentJsonSchema });
/** The generated password is shown exactly once. */
export const InvitedAgentResponseSchema = z.object({ agent: AgentJsonSchema, password: z.string() });
export const ApiTokenListSchema = listOf(ApiTokenJsonSchema);
/** The token itself is shown exactly once. */
export const CreatedTokenResponseSchema = z.object({ token: z.string(), api_token: ApiTokenJsonSchema });

export type AgentList = z.infer<typeof AgentListSchema>;
export type AgentResponse = z.infer<typeof AgentResponseSchema>;
export type InvitedAgentResponse = z.infer<typeof InvitedAgentResponseSchema>;
export type ApiTokenList = z.infer<typeof ApiTokenListSchema>;
export type CreatedTokenResponse = z.infer<typeof CreatedTokenResponseSchema>;
