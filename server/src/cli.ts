/**
 * `pnpm connectdesk <command>` (in a release: `node server/dist/cli.js <command>`): user accounts,
 * API tokens, and backup/restore of a SQLite deployment. Uses the same config (env + .env) and
 * database as the server. reset-password ends every session and API token of that user in the
 * database; a running server disconnects their sockets at its next session sweep (within 10 s).
 */
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { API_SCOPES, DEFAULT_API_SCOPES, isApiScope, type ApiScope } from '@connectdesk/shared';
import { noLiveConnections } from './auth/access-ends.ts';
import { AuthService } from './auth/auth-service.ts';
import { generatePassword } from './auth/passwords.ts';
import { SignInThrottle } from './auth/sign-in-throttle.ts';
import { BackupError } from './backup/archive-layout.ts';
import { createBackup } from './backup/backup-archive.ts';
import { restoreBackup } from './backup/restore-archive.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createDb, migrate } from './db/knex.ts';
import { migrationSource } from './db/migrations/index.ts';
import { ApiTokensRepo } from './db/repos/api-tokens-repo.ts';
import { SessionsRepo } from './db/repos/sessions-repo.ts';
import { UsersRepo } from './db/repos/users-repo.ts';
import { isAppError } from './errors.ts';
import { memoryLimiters } from './limits/limiter-factory.ts';
import { VERSION } from './version.ts';

const USAGE = `usage: pnpm connectdesk <command> [options]

  create-admin   --email E [--password P] [--name N]   create an admin (password generated if omitted)
  create-agent   --email E [--password P] [--name N]   create an agent
  reset-password --email E [--password P]              set a new password (generated if omitted);
                                                       ends every session and API token of that user
  create-token   --email E --name N [--scope S]... [--expires-in D | --expires-at T]
                                                       create an API token for scripts (Bearer)
                 scopes: ${API_SCOPES.join(', ')}
                 (default: ${DEFAULT_API_SCOPES.join(', ')}; repeat --scope or separate with commas)
                 --expires-in 30d / 12h, or --expires-at 2027-01-31 (ISO date or date-time); default: never
  backup         --to FILE [--force]                   consistent copy of the SQLite database and
                                                       DATA_DIR (media, app.key) while the server runs
  restore        --from FILE [--force]                 put a backup back into DATA_DIR (server stopped;
                                                       --force moves existing data aside first)
`;

/** Scopes from repeated and/or comma-separated --scope flags. */
function parseScopes(values: string[] | undefined): ApiScope[] {
  if (!values || values.length === 0) return [...DEFAULT_API_SCOPES];
  const scopes = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = scopes.filter((v) => !isApiScope(v));
  if (unknown.length > 0 || scopes.length === 0) throw new Error(`unknown scope ${unknown.join(', ') || '(empty)'}; use ${API_SCOPES.join(', ')}`);
  return [...new Set(scopes as ApiScope[])];
}

/** An expiry from --expires-in (30d, 12h) or --expires-at (ISO), as epoch ms; null = never. */
function parseExpiry(expiresIn: string | undefined, expiresAt: string | undefined, now = Date.now()): number | null {
  if (expiresIn && expiresAt) throw new Error('give --expires-in or --expires-at, not both');
  if (expiresIn) {
    const m = /^(\d{1,5})([dh])$/.exec(expiresIn.trim());
    if (!m || Number(m[1]) === 0) throw new Error('--expires-in takes a number of days or hours, like 30d or 12h');
    return now + Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
  }
  if (expiresAt) {
    const t = Date.parse(expiresAt);
    if (!Number.isFinite(t)) throw new Error('--expires-at takes an ISO date or date-time, like 2027-01-31 or 2027-01-31T12:00:00Z');
    if (t <= now) throw new Error('--expires-at must be in the future');
    return t;
  }
  return null;
}

const USER_COMMANDS = ['create-admin', 'create-agent', 'reset-password', 'create-token'];

class UsageError extends Error {}

function postgresRefusal(what: 'backup' | 'restore'): BackupError {
  return new BackupError(
    `DATABASE_URL points at PostgreSQL: ${what} works on SQLite deployments only. Use pg_dump / pg_restore for the ` +
      `database and copy DATA_DIR/media and the APP_KEY alongside (docs/DEPLOYMENT.md, "Backups").`,
  );
}

async function backup(config: Config, to: string, force: boolean): Promise<void> {
  if (config.database.client !== 'sqlite') throw postgresRefusal('backup');
  const result = await createBackup({ dataDir: config.dataDir, databaseFile: config.database.filename, to, force, appVersion: VERSION });
  const counts = Object.entries(result.manifest.counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  process.stdout.write(
    `backup written to ${result.file} (${(result.bytes / 1024).toFixed(0)} KB): ${counts}, ${result.manifest.files} files from ${config.dataDir}\n`,
  );
}

async function restore(config: Config, from: string, force: boolean): Promise<void> {
  if (config.database.client !== 'sqlite') throw postgresRefusal('restore');
  const knownMigrations = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
  const result = await restoreBackup({ dataDir: config.dataDir, databaseFile: config.database.filename, from, force, knownMigrations });
  const counts = Object.entries(result.manifest.counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  process.stdout.write(`restored the backup of ${result.manifest.created_at} into ${config.dataDir}: ${counts}\n`);
  if (result.movedAside) process.stdout.write(`the data that was there before is in ${result.movedAside} (delete it once the restore is confirmed)\n`);
}

interface UserCommandOptions {
  email: string;
  password?: string;
  name?: string;
  scope?: string[];
  'expires-in'?: string;
  'expires-at'?: string;
}

async function userCommand(config: Config, command: string, values: UserCommandOptions): Promise<void> {
  // A one-off command beside a running server waits for the server's writes rather than failing.
  const db = createDb(config.database, { busyTimeoutMs: 30_000 });
  try {
    await migrate(db);
    const users = new UsersRepo(db);
    // No sockets here: a running server learns of ended sessions from the database (its sweep).
    const auth = new AuthService({
      users,
      sessions: new SessionsRepo(db),
      apiTokens: new ApiTokensRepo(db),
      throttle: new SignInThrottle(memoryLimiters()),
      accessEnds: noLiveConnections,
    });
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
        process.stdout.write('every session and API token of this user has ended; a running server drops their sockets within 10 s\n');
        break;
      }
      case 'create-token': {
        const scopes = parseScopes(values.scope);
        const expiresAt = parseExpiry(values['expires-in'], values['expires-at']);
        const user = await users.byEmail(values.email);
        if (!user || user.disabledAt) throw new Error(`no user with email ${values.email}`);
        const { token } = await auth.createApiToken(user, { name: values.name ?? 'cli', scopes, expiresAt });
        process.stdout.write(`API token for ${user.email} (shown once): ${token}\n`);
        process.stdout.write(`scopes: ${scopes.join(' ')}; expires: ${expiresAt === null ? 'never' : new Date(expiresAt).toISOString()}\n`);
        break;
      }
    }
  } finally {
    await db.destroy();
  }
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        scope: { type: 'string', multiple: true },
        'expires-in': { type: 'string' },
        'expires-at': { type: 'string' },
        to: { type: 'string' },
        from: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const userCmd = command !== undefined && USER_COMMANDS.includes(command);
  if (!(userCmd && values.email) && !(command === 'backup' && values.to) && !(command === 'restore' && values.from)) throw new UsageError('');
  dotenv.config({ quiet: true });
  const config = loadConfig();
  if (command === 'backup') return backup(config, values.to!, values.force);
  if (command === 'restore') return restore(config, values.from!, values.force);
  return userCommand(config, command, { ...values, email: values.email! });
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError) {
      if (err.message) process.stderr.write(`error: ${err.message}\n`);
      process.stderr.write(USAGE);
      process.exit(64);
    }
    if (err instanceof ConfigError) for (const p of err.problems) process.stderr.write(`config error: ${p}\n`);
    else process.stderr.write(`error: ${err instanceof BackupError || isAppError(err) || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
