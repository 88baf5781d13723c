/** Sign in and out, who is signed in, one's own password (`/admin/api/session`, `/admin/api/me`). */
import { z } from 'zod';

export { SessionBodySchema, type SessionBody } from '../api.ts';

export const RoleSchema = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof RoleSchema>;

export const UserJsonSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema }).meta({ id: 'User' });
export type UserJson = z.infer<typeof UserJsonSchema>;

export const UserResponseSchema = z.object({ user: UserJsonSchema });
/** `GET /admin/api/session`: null when nobody is signed in (no 401). */
export const CurrentSessionResponseSchema = z.object({ user: UserJsonSchema.nullable() });

export const ChangePasswordSchema = z.object({
  current_password: z.string().min(1, 'current_password is required').max(1024),
  new_password: z.string().min(8, 'the new password must be at least 8 characters').max(1024),
});
export type ChangePassword = z.infer<typeof ChangePasswordSchema>;

export type UserResponse = z.infer<typeof UserResponseSchema>;
export type CurrentSessionResponse = z.infer<typeof CurrentSessionResponseSchema>;
