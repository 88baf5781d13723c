/**
 * Starts the real server in this process on an ephemeral port with a temp DATA_DIR (and the
 * embedded sandbox), and gives tests small helpers to talk to it like a browser or a script would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { start, type RunningServer, type StartOptions } from '../../server/src/main.ts';
import { createTestDatabase, testDatabaseFor, type TestDatabase } from './pg.ts';
import { adminRequest } from './admin-request.ts';

export const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };

export interface TestServer extends RunningServer {
  dataDir: string;
  env: Record<string, string>;
  /** fetch against the server; relative paths. */
  fetch(p: string, init?: RequestInit): Promise<Response>;
  /** Signs in the bootstrap admin and returns the Cookie header value. */
  signIn(creds?: { email: string; password: string }): Promise<string>;
  /** JSON request as a signed-in agent (cookie + same Origin). */
  admin(p: string, init?: { method?: string; body?: unknown; cookie?: string }): Promise<{ status: number; body: any }>;
  /** The widget's socket; `auth` as the widget sends it (token, page, language, time zone). */
  visitorSocket(auth?: { visitor_token?: string; page_url?: string; language?: string; time_zone?: string }): Promise<Socket>;
  adminSocket(cookie: string): Promise<Socket>;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'connectdesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `logDestination`: where the server's log lines go (a test that reads them); nowhere otherwise. */
export async function startTestServer(
  env: Record<string, string> = {},
  opts: { dataDir?: string; logDestination?: NodeJS.WritableStream; start?: Pick<StartOptions, 'sessionSweepMs'> } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir();
  // With TEST_DATABASE_URL (pnpm test:pg) every server gets its own fresh PostgreSQL database;
  // a data dir the test manages keeps its database across restarts (left to the stale sweep).
  const pgBase = env.DATABASE_URL === undefined ? process.env.TEST_DATABASE_URL : undefined;
  const pgDb: TestDatabase | null = !pgBase
    ? null
    : opts.dataDir
      ? await testDatabaseFor(pgBase, dataDir)
      : await createTestDatabase(pgBase, { migrated: true });
  const ownsPgDb = pgDb !== null && !opts.dataDir;
  const fullEnv: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...env,
  };
  const config = loadConfig(fullEnv);
  let server: RunningServer;
  try {
    server = await start(config, { logger: createLogger({ level: config.logLevel, destination: opts.logDestination }), announce: () => {}, ...opts.start });
  } catch (err) {
    if (ownsPgDb) await pgDb.drop();
    throw err;
  }
  const base = server.url;
  let cachedCookie: string | null = null;
  const sockets: Socket[] = [];

  const t: TestServer = {
    ...server,
    dataDir,
    env: fullEnv,
    fetch: (p, init) => fetch(base + p, init),
    async signIn(creds = ADMIN) {
      const res = await fetch(base + '/admin/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify(creds),
      });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      if (creds === ADMIN) cachedCookie = cookie;
      return cookie;
    },
    async admin(p, init = {}) {
      const cookie = init.cookie ?? cachedCookie ?? (await t.signIn());
      return adminRequest(base, p, cookie, init);
    },
    async visitorSocket(auth = {}) {
      const s = io(base + '/visitor', { transports: ['websocket'], auth, reconnection: false, forceNew: true });
      sockets.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      return s;
    },
    async adminSocket(cookie) {
      const s = io(base + '/admin', { transports: ['websocket'], extraHeaders: { cookie, origin: base }, reconnection: false, forceNew: true });
      sockets.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      return s;
    },
    async stop() {
      for (const s of sockets) s.disconnect();
      try {
        await server.close();
      } finally {
        if (ownsPgDb) await pgDb.drop();
      }
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Resolve when `predicate` holds, polling until the deadline (no bare sleeps in tests). */
export async function waitFor<T>(fn: () => Promise<T> | T, opts: { timeout?: number; interval?: number; message?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeout ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting: ${opts.message ?? ''} ${last instanceof Error ? String(last) : last ? JSON.stringify(last) : ''}`);
    await new Promise((r) => setTimeout(r, opts.interval ?? 25));
  }
}

/** The next occurrence of a socket event. */
export function nextEvent<T = any>(socket: Socket, event: string, filter: (payload: T) => boolean = () => true, timeout = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${timeout} ms`));
    }, timeout);
    const on = (payload: T) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(payload);
    };
    socket.on(event, on);
  });
}
