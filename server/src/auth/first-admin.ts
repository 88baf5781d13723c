/**
 * The first admin, on a start with no user yet: the one from ADMIN_EMAIL + ADMIN_PASSWORD, or a
 * generated one that is announced once. Nodes starting together on a fresh database race for it:
 * the loser finds it made and creates nothing.
 */
import type { UsersRepo } from '../db/repos/users-repo.ts';
import type { Logger } from '../logger.ts';
import type { AuthService } from './auth-service.ts';
import { generatePassword } from './passwords.ts';

export interface FirstAdminDeps {
  users: Pick<UsersRepo, 'count'>;
  auth: Pick<AuthService, 'createUser'>;
  /** ADMIN_EMAIL + ADMIN_PASSWORD, when set. */
  admin: { email: string; password: string } | null;
  logger: Logger;
  announce: (line: string) => void;
}

/** Creates the first admin when there is no user; returns the generated one, if this start made it. */
export async function ensureFirstAdmin(deps: FirstAdminDeps): Promise<{ email: string; password: string } | null> {
  const { users, auth } = deps;
  if ((await users.count()) > 0) return null;
  const race = async (create: () => Promise<unknown>): Promise<boolean> =>
    create().then(
      () => true,
      async (err: unknown) => {
        if ((await users.count()) > 0) return false;
        throw err;
      },
    );
  if (deps.admin) {
    const admin = deps.admin;
    if (await race(() => auth.createUser({ email: admin.email, password: admin.password, role: 'admin', name: 'Admin' }))) {
      deps.logger.info({ email: admin.email }, 'created the first admin from ADMIN_EMAIL');
    }
    return null;
  }
  const candidate = { email: 'admin@connectdesk.local', password: generatePassword() };
  if (!(await race(() => auth.createUser({ ...candidate, role: 'admin', name: 'Admin' })))) return null;
  deps.announce(`First start: created admin ${candidate.email} with password ${candidate.password} — sign in and change it.`);
  return candidate;
}
