/**
 * `pnpm connectdesk <command>`: create-admin, create-agent, reset-password, create-token.
 * Uses the same config (env + .env) and database as the server.
 */
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { AuthService } from './auth/auth-service.ts';
import { generatePassword } from './auth/passwords.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb, migrate } from './db/knex.ts';
import { ApiTokensRepo } from './db/repos/api-tokens-repo.ts';
import { SessionsRepo } from './db/repos/sessions-repo.ts';
import { UsersRepo } from './db/repos/users-repo.ts';
import { isAppError } from './errors.ts';

const USAGE = `usage: pnpm connectdesk <command> [options]

  create-admin   --email E [--password P] [--name N]   create an admin (password generated if omitted)
  create-agent   --email E [--password P] [--name N]   create an agent
  reset-password --email E [--password P]              set a new password (generated if omitted)
  create-token   --email E --name N                    create an API token for scripts (Bearer)
`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  if (!command || !['create-admin', 'create-agent', 'reset-password', 'create-token'].includes(command) || !values.email) {
    process.stderr.write(USAGE);
    return 64;
  }
  dotenv.config({ quiet: true });
  const config = loadConfig();
  const db = createDb(config.database);
  try {
    await migrate(db);
    const users = new UsersRepo(db);
    const auth = new AuthService({ users, sessions: new SessionsRepo(db), apiTokens: new ApiTokensRepo(db) });
    const password = values.password ?? generatePassword();
    switch (command) {
      case 'create-admin':
      case 'create-agent': {
        const user = await auth.createUser({ email: values.email, password, name: values.name, role: command === 'create-admin' ? 'admin' : 'agent' });
        process.stdout.write(`created ${user.role} ${user.email}${values.password ? '' : ` with password ${password}`}\n`);
        break;
      }
      case 'reset-password': {
        const user = await auth.resetPassword(values.email, password);
        process.stdout.write(`new password set for ${user.email}${values.password ? '' : `: ${password}`}\n`);
        break;
      }
      case 'create-token': {
        const user = await users.byEmail(values.email);
        if (!user) throw new Error(`no user with email ${values.email}`);
        const { token } = await auth.createApiToken(user.id, values.name ?? 'cli');
        process.stdout.write(`API token for ${user.email} (shown once): ${token}\n`);
        break;
      }
    }
    return 0;
  } finally {
    await db.destroy();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) for (const p of err.problems) process.stderr.write(`config error: ${p}\n`);
    else process.stderr.write(`error: ${isAppError(err) || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
