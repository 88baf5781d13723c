/**
 * Agents' accounts, sign-in, sessions and API tokens.
 * - Sign-in goes through SignInThrottle (delays per client address + account, a cap per address).
 * - Access ends at once: sign-out ends that session and its sockets; removing an agent, changing
 *   a role or a password ends every session, socket and API token of that user (the user's
 *   auth epoch moves on, see UsersRepo.revokeAccess).
 * - API tokens carry scopes and an optional expiry; they are created only by a signed-in session.
 */
import type { ApiScope } from '@connectdesk/shared';
import { AppError } from '../errors.ts';
import type { ApiTokenInfo, ApiTokensRepo } from '../db/repos/api-tokens-repo.ts';
import type { SessionsRepo } from '../db/repos/sessions-repo.ts';
import type { AccessChange, User, UsersRepo } from '../db/repos/users-repo.ts';
import type { AccessEnds } from './access-ends.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';
import { API_TOKEN_PREFIX, randomToken, sha256Hex } from './tokens.ts';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MIN_PASSWORD = 8;

export interface AuthServiceDeps {
  users: UsersRepo;
  sessions: SessionsRepo;
  apiTokens: ApiTokensRepo;
  throttle: SignInThrottle;
  /** Cuts live sockets when access ends (the CLI has none). */
  accessEnds: AccessEnds;
  now?: () => number;
}

export interface ClientMeta {
  /** The client address sign-in attempts are throttled by. */
  ip: string | null;
  userAgent: string | null;
}

export interface SessionGrant {
  user: User;
  /** The session's id in the database (sha256 of the cookie value). */
  sessionId: string;
}

export interface TokenGrant {
  user: User;
  tokenId: string;
  scopes: ApiScope[];
}

export class AuthService {
  private readonly now: () => number;
  /** A real hash to compare against when the email is unknown, so timing does not tell. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: AuthServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async signIn(email: string, password: string, meta: ClientMeta): Promise<{ user: User; token: string }> {
    const address = meta.ip ?? 'unknown';
    await this.deps.throttle.check(address, email);
    const user = await this.deps.users.byEmail(email);
    if (!user || user.disabledAt) {
      this.dummyHash ??= hashPassword(randomToken());
      await verifyPassword(password, await this.dummyHash);
      await this.deps.throttle.failed(address, email);
      throw new AppError('unauthorized', 'wrong email or password');
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      await this.deps.throttle.failed(address, email);
      throw new AppError('unauthorized', 'wrong email or password');
    }
    await this.deps.throttle.succeeded(address, email);
    await this.deps.users.recordLogin(user.id);
    return { user, token: await this.newSession(user, meta) };
  }

  /** Ends this session and cuts its sockets; the user's other sessions stay. */
  async signOut(token: string): Promise<void> {
    if (!token || token.length > 256) return;
    const sessionId = sha256Hex(token);
    await this.deps.sessions.delete(sessionId);
    this.deps.accessEnds.sessionEnded(sessionId);
  }

  /** The session behind a cookie value, if it still grants access; slides the expiry (at most once a minute). */
  async sessionFor(token: string | undefined | null): Promise<SessionGrant | null> {
    if (!token || token.length > 256) return null;
    const sessionId = sha256Hex(token);
    const session = await this.deps.sessions.find(sessionId);
    if (!session) return null;
    const now = this.now();
    if (session.expiresAt <= now) {
      await this.deps.sessions.delete(sessionId);
      return null;
    }
    const user = await this.deps.users.byId(session.userId);
    if (!user || user.disabledAt || user.authEpoch !== session.authEpoch) return null;
    if (now - session.lastSeenAt > 60_000) await this.deps.sessions.touch(sessionId, now + SESSION_TTL_MS);
    return { user, sessionId };
  }

  async userForSession(token: string | undefined | null): Promise<User | null> {
    return (await this.sessionFor(token))?.user ?? null;
  }

  /** Which of these session ids still grant access (the realtime sweep asks for its sockets). */
  validSessions(sessionIds: readonly string[]): Promise<Set<string>> {
    return this.deps.sessions.stillValid(sessionIds, this.now());
  }

  async apiTokenFor(token: string | undefined | null): Promise<TokenGrant | null> {
    if (!token || !token.startsWith(API_TOKEN_PREFIX) || token.length > 256) return null;
    const grant = await this.deps.apiTokens.grant(sha256Hex(token));
    const now = this.now();
    if (!grant || (grant.expiresAt !== null && grant.expiresAt <= now)) return null;
    const user = await this.deps.users.byId(grant.userId);
    if (!user || user.disabledAt || user.authEpoch !== grant.authEpoch) return null;
    if (now - (grant.lastUsedAt ?? 0) > 60_000) await this.deps.apiTokens.markUsed(grant.id, now);
    return { user, tokenId: grant.id, scopes: grant.scopes };
  }

  async createApiToken(
    user: User,
    input: { name: string; scopes: readonly ApiScope[]; expiresAt: number | null },
  ): Promise<{ token: string; info: ApiTokenInfo }> {
    if (input.expiresAt !== null && input.expiresAt <= this.now()) throw new AppError('validation_failed', 'expires_at must be in the future');
    const token = API_TOKEN_PREFIX + randomToken();
    const info = await this.deps.apiTokens.create({
      userId: user.id,
      name: input.name,
      tokenHash: sha256Hex(token),
      prefix: token.slice(0, 10),
      scopes: input.scopes,
      authEpoch: user.authEpoch,
      expiresAt: input.expiresAt,
    });
    return { token, info };
  }

  async createUser(input: { email: string; name?: string; password: string; role: 'admin' | 'agent' }): Promise<User> {
    checkPassword(input.password);
    if (await this.deps.users.byEmail(input.email)) throw new AppError('conflict', `a user with email ${input.email} exists already`);
    return this.deps.users.create({
      email: input.email,
      name: input.name ?? input.email.split('@')[0]!,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
  }

  /** A new password set by an operator (CLI): every session, socket and token of that user ends. */
  async resetPassword(email: string, password: string): Promise<User> {
    const user = await this.deps.users.byEmail(email);
    if (!user) throw new AppError('not_found', `no user with email ${email}`);
    checkPassword(password);
    return this.endAccess(user.id, { passwordHash: await hashPassword(password) });
  }

  /**
   * The signed-in user changes their own password: the current one must be right (throttled like
   * sign-in). Every session, socket and token ends; the caller gets a fresh session.
   */
  async changePassword(user: User, current: string, next: string, meta: ClientMeta): Promise<{ user: User; token: string }> {
    const address = meta.ip ?? 'unknown';
    await this.deps.throttle.check(address, user.email);
    if (!(await verifyPassword(current, user.passwordHash))) {
      await this.deps.throttle.failed(address, user.email);
      throw new AppError('validation_failed', 'the current password is not right');
    }
    checkPassword(next);
    const updated = await this.endAccess(user.id, { passwordHash: await hashPassword(next) });
    return { user: updated, token: await this.newSession(updated, meta) };
  }

  /** An admin changes someone else's role; that user's sessions, sockets and tokens end. */
  async changeRole(actor: User, targetId: string, role: 'admin' | 'agent'): Promise<User> {
    if (targetId === actor.id) throw new AppError('conflict', 'you cannot change your own role; ask another admin');
    const target = await this.activeUser(targetId);
    if (target.role === role) return target;
    if (target.role === 'admin') await this.keepOneAdmin('the last admin cannot become an agent');
    return this.endAccess(target.id, { role });
  }

  /** Removes (disables) an agent: authorship of past messages stays; all access ends now. */
  async removeUser(actor: User, targetId: string): Promise<void> {
    if (targetId === actor.id) throw new AppError('conflict', 'you cannot remove yourself; ask another admin');
    const target = await this.activeUser(targetId);
    if (target.role === 'admin') await this.keepOneAdmin('the last admin cannot be removed');
    await this.endAccess(target.id, { disable: true });
  }

  private async activeUser(id: string): Promise<User> {
    const user = await this.deps.users.byId(id);
    if (!user || user.disabledAt) throw new AppError('not_found', 'agent not found');
    return user;
  }

  private async keepOneAdmin(message: string): Promise<void> {
    const admins = (await this.deps.users.list()).filter((u) => u.role === 'admin');
    if (admins.length <= 1) throw new AppError('conflict', message);
  }

  private async endAccess(userId: string, change: AccessChange): Promise<User> {
    const user = await this.deps.users.revokeAccess(userId, change);
    if (!user) throw new AppError('not_found', 'agent not found');
    this.deps.accessEnds.userAccessEnded(userId);
    return user;
  }

  private async newSession(user: User, meta: ClientMeta): Promise<string> {
    const token = randomToken();
    await this.deps.sessions.create({
      idHash: sha256Hex(token),
      userId: user.id,
      authEpoch: user.authEpoch,
      expiresAt: this.now() + SESSION_TTL_MS,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return token;
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new AppError('validation_failed', `password must be at least ${MIN_PASSWORD} characters`);
}
