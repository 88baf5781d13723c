/**
 * Agents' sign-in, sessions and API tokens. Sign-in is rate-limited per IP and per account, and an
 * account that keeps failing is locked with a growing back-off.
 */
import { AppError } from '../errors.ts';
import type { ApiTokensRepo } from '../db/repos/api-tokens-repo.ts';
import type { SessionsRepo } from '../db/repos/sessions-repo.ts';
import type { User, UsersRepo } from '../db/repos/users-repo.ts';
import { RateLimiter } from '../http/rate-limiter.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { API_TOKEN_PREFIX, randomToken, sha256Hex } from './tokens.ts';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const FREE_FAILURES = 5;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

export interface AuthServiceDeps {
  users: UsersRepo;
  sessions: SessionsRepo;
  apiTokens: ApiTokensRepo;
  now?: () => number;
}

export class AuthService {
  private readonly perIp = new RateLimiter(30, 10 * 60_000);
  private readonly perAccount = new RateLimiter(10, 10 * 60_000);
  private readonly now: () => number;
  /** A real hash to compare against when the email is unknown, so timing does not tell. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: AuthServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async signIn(email: string, password: string, meta: { ip: string | null; userAgent: string | null }): Promise<{ user: User; token: string }> {
    const ipLimit = this.perIp.hit(meta.ip ?? 'unknown');
    const accountLimit = this.perAccount.hit(email.toLowerCase());
    if (!ipLimit.allowed || !accountLimit.allowed) {
      throw new AppError('rate_limited', 'too many sign-in attempts; try again later', {
        retry_after: Math.max(ipLimit.retryAfterSeconds, accountLimit.retryAfterSeconds),
      });
    }
    const user = await this.deps.users.byEmail(email);
    if (!user || user.disabledAt) {
      this.dummyHash ??= hashPassword(randomToken());
      await verifyPassword(password, await this.dummyHash);
      throw new AppError('unauthorized', 'wrong email or password');
    }
    if (user.lockedUntil && user.lockedUntil > this.now()) {
      throw new AppError('locked', 'too many failed sign-ins; this account is locked for a while', {
        retry_after: Math.ceil((user.lockedUntil - this.now()) / 1000),
      });
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      const failures = user.failedLogins + 1;
      const lockedUntil =
        failures >= FREE_FAILURES ? this.now() + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failures - FREE_FAILURES)) : null;
      await this.deps.users.recordFailedLogin(user.id, lockedUntil);
      throw new AppError('unauthorized', 'wrong email or password');
    }
    await this.deps.users.recordLogin(user.id);
    this.perAccount.reset(email.toLowerCase());
    const token = randomToken();
    await this.deps.sessions.create({
      idHash: sha256Hex(token),
      userId: user.id,
      expiresAt: this.now() + SESSION_TTL_MS,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return { user, token };
  }

  async signOut(token: string): Promise<void> {
    await this.deps.sessions.delete(sha256Hex(token));
  }

  /** The user behind a session cookie; slides the expiry (at most once a minute). */
  async userForSession(token: string | undefined | null): Promise<User | null> {
    if (!token || token.length > 256) return null;
    const idHash = sha256Hex(token);
    const session = await this.deps.sessions.find(idHash);
    if (!session) return null;
    const now = this.now();
    if (session.expiresAt <= now) {
      await this.deps.sessions.delete(idHash);
      return null;
    }
    const user = await this.deps.users.byId(session.userId);
    if (!user || user.disabledAt) return null;
    if (now - session.lastSeenAt > 60_000) await this.deps.sessions.touch(idHash, now + SESSION_TTL_MS);
    return user;
  }

  async userForApiToken(token: string | undefined | null): Promise<User | null> {
    if (!token || !token.startsWith(API_TOKEN_PREFIX) || token.length > 256) return null;
    const userId = await this.deps.apiTokens.use(sha256Hex(token));
    if (!userId) return null;
    const user = await this.deps.users.byId(userId);
    return user && !user.disabledAt ? user : null;
  }

  async createApiToken(userId: string, name: string): Promise<{ token: string; id: string; prefix: string }> {
    const token = API_TOKEN_PREFIX + randomToken();
    const prefix = token.slice(0, 10);
    const info = await this.deps.apiTokens.create({ userId, name, tokenHash: sha256Hex(token), prefix });
    return { token, id: info.id, prefix };
  }

  async createUser(input: { email: string; name?: string; password: string; role: 'admin' | 'agent' }): Promise<User> {
    if (input.password.length < 8) throw new AppError('validation_failed', 'password must be at least 8 characters');
    if (await this.deps.users.byEmail(input.email)) throw new AppError('conflict', `a user with email ${input.email} exists already`);
    return this.deps.users.create({
      email: input.email,
      name: input.name ?? input.email.split('@')[0]!,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
  }

  async resetPassword(email: string, password: string): Promise<User> {
    const user = await this.deps.users.byEmail(email);
    if (!user) throw new AppError('not_found', `no user with email ${email}`);
    if (password.length < 8) throw new AppError('validation_failed', 'password must be at least 8 characters');
    await this.deps.users.setPassword(user.id, await hashPassword(password));
    return user;
  }
}
