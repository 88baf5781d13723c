/**
 * The one composition root: loadConfig → knex + migrate → services → createApp → listen.
 * `start()` is also what the integration tests run, on port 0 with a temp DATA_DIR.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import dotenv from 'dotenv';
import { createApp } from './app.ts';
import { AuthService } from './auth/auth-service.ts';
import { generatePassword } from './auth/passwords.ts';
import { ConfigError, generateAppKey, loadConfig, type Config } from './config.ts';
import { ChatService } from './conversations/chat-service.ts';
import { createGroupCommit } from './db/group-commit.ts';
import { createDb, isMigrated, migrate, type Db } from './db/knex.ts';
import { ApiTokensRepo } from './db/repos/api-tokens-repo.ts';
import { ContactsRepo } from './db/repos/contacts-repo.ts';
import { ConversationsRepo } from './db/repos/conversations-repo.ts';
import { MessagesRepo } from './db/repos/messages-repo.ts';
import { SessionsRepo } from './db/repos/sessions-repo.ts';
import { SettingsRepo } from './db/repos/settings-repo.ts';
import { TemplatesRepo } from './db/repos/templates-repo.ts';
import { UsersRepo } from './db/repos/users-repo.ts';
import { WhatsAppNumbersRepo } from './db/repos/whatsapp-numbers-repo.ts';
import { WalCheckpointer } from './db/wal-checkpointer.ts';
import { adminChecklistRoutes, recordWebhookVerified } from './http/routes/admin-checklist.ts';
import { adminSettingsRoutes } from './http/routes/admin-settings.ts';
import { adminTeamRoutes } from './http/routes/admin-team.ts';
import { widgetConfigRoutes } from './http/routes/widget-config.ts';
import { StaticAssets } from './http/static-assets.ts';
import { createLogger, type Logger } from './logger.ts';
import { createHub } from './realtime/hub.ts';
import { attachNamespaces, createIo } from './realtime/io.ts';
import { createRedisAdapter } from './realtime/redis-adapter.ts';
import { closeRedis, connectRedis, RedisUnavailableError, type Redis } from './redis.ts';
import { SecretBox } from './secret-box.ts';
import { createWhatsAppModule } from './whatsapp/module.ts';
import { VisitorMediaLinks } from './conversations/visitor-media-links.ts';
import { TokenBucketRateGate } from './whatsapp/rate-gate.ts';
import { RedisRateGate } from './whatsapp/rate-gate-redis.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VERSION = '0.1.0';

export interface StartOptions {
  logger?: Logger;
  /** Where the built widget and admin app live (defaults to the workspace's dist folders). */
  widgetDist?: string;
  adminDist?: string;
  /** Print the generated first admin (main does; tests read it from the handle). */
  announce?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  /** The generated first admin, when one was created on this start. */
  generatedAdmin: { email: string; password: string } | null;
  close(): Promise<void>;
}

/** APP_KEY from env, else DATA_DIR/app.key (created 0600 on first start). */
function resolveAppKey(config: Config): Buffer {
  if (!config.appKeyGenerated) return config.appKey;
  const file = path.join(config.dataDir, 'app.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, generateAppKey() + '\n', { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}

/** SQLite: WAL checkpoints from a connection of their own; without it SQLite's automatic ones stay on. */
async function startCheckpointer(filename: string, db: Db, logger: Logger): Promise<WalCheckpointer | null> {
  const checkpointer = new WalCheckpointer({ filename, logger });
  try {
    await checkpointer.start(db);
    return checkpointer;
  } catch (err) {
    logger.warn({ err }, 'could not open the WAL checkpoint connection; SQLite checkpoints during commits instead');
    await checkpointer.stop();
    return null;
  }
}

export async function start(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const announce = opts.announce ?? ((line: string) => logger.warn(line));
  fs.mkdirSync(config.dataDir, { recursive: true });
  const appKey = resolveAppKey(config);
  const secrets = new SecretBox(appKey);
  const visitorMedia = new VisitorMediaLinks(appKey);

  const db = createDb(config.database);
  await migrate(db);
  const tx = createGroupCommit(db);
  const checkpointer = config.database.client === 'sqlite' ? await startCheckpointer(config.database.filename, db, logger) : null;
  // Scale-out: with REDIS_URL, socket.io rooms span every node.
  let redis: Redis | null = null;
  if (config.redisUrl) {
    redis = await connectRedis(config.redisUrl, logger).catch(async (err: unknown) => {
      await checkpointer?.stop();
      await db.destroy();
      throw err;
    });
  }

  const users = new UsersRepo(db);
  const apiTokens = new ApiTokensRepo(db);
  const auth = new AuthService({ users, sessions: new SessionsRepo(db), apiTokens });
  let generatedAdmin: RunningServer['generatedAdmin'] = null;
  // Nodes starting together on a fresh database race for the first admin: the loser finds it made.
  const firstAdminRace = async (create: () => Promise<unknown>): Promise<boolean> =>
    create().then(
      () => true,
      async (err: unknown) => {
        if ((await users.count()) > 0) return false;
        throw err;
      },
    );
  if ((await users.count()) === 0) {
    if (config.admin) {
      const admin = config.admin;
      if (await firstAdminRace(() => auth.createUser({ email: admin.email, password: admin.password, role: 'admin', name: 'Admin' }))) {
        logger.info({ email: admin.email }, 'created the first admin from ADMIN_EMAIL');
      }
    } else {
      const candidate = { email: 'admin@connectdesk.local', password: generatePassword() };
      if (await firstAdminRace(() => auth.createUser({ ...candidate, role: 'admin', name: 'Admin' }))) {
        generatedAdmin = candidate;
        announce(`First start: created admin ${candidate.email} with password ${candidate.password} — sign in and change it.`);
      }
    }
  }

  const httpServer = http.createServer();
  const io = createIo(httpServer, { adapter: redis ? createRedisAdapter(redis) : undefined });
  const hub = createHub(io);

  // With Redis every node draws from one per-number send budget; alone, the in-process one.
  const perSecond = config.whatsapp.messagesPerSecond;
  const rateGate = redis ? new RedisRateGate({ redis, perSecond, fallback: new TokenBucketRateGate({ perSecond }), logger }) : undefined;
  const whatsapp = await createWhatsAppModule({ config, db, tx, logger, hub, secrets, rateGate, visitorMedia });
  const chat = new ChatService({
    db,
    tx,
    contacts: new ContactsRepo(db),
    conversations: new ConversationsRepo(db),
    messages: new MessagesRepo(db),
    hub,
    whatsapp: whatsapp.bridge,
    logger,
    mediaUrl: (id) => `/admin/api/media/${id}`,
    forVisitor: (m) => visitorMedia.forVisitor(m),
    siteName: config.siteName,
  });
  attachNamespaces(io, { chat, hub, logger, auth, publicUrl: config.publicUrl });

  const settings = new SettingsRepo(db);
  const numbers = new WhatsAppNumbersRepo(db);
  const templates = new TemplatesRepo(db);
  const settingsRouters = [
    adminTeamRoutes({ auth, users, apiTokens }),
    adminSettingsRoutes({ config, settings, numbers, secrets }),
    adminChecklistRoutes({
      cloudApi: whatsapp.cloudApi,
      config,
      settings,
      numbers,
      secrets,
      logger,
      countApprovedTemplates: async () => (await templates.list(config.whatsapp.wabaId, { status: 'APPROVED' })).length,
    }),
  ];

  let ready = false;
  const app = createApp({
    config,
    logger,
    auth,
    chat,
    version: VERSION,
    readiness: {
      ready: () => ready,
      check: async () => ({ db: await isMigrated(db).catch(() => false) }),
    },
    widgetAssets: StaticAssets.load(opts.widgetDist ?? path.join(ROOT, 'widget/dist')),
    adminAssets: StaticAssets.load(opts.adminDist ?? path.join(ROOT, 'admin/dist')),
    publicRouters: [...whatsapp.publicRouters, widgetConfigRoutes({ settings, numbers, siteName: config.siteName })],
    adminRouters: [...whatsapp.adminRouters, ...settingsRouters],
    sandbox: whatsapp.sandbox,
    onWebhookVerified: () => void recordWebhookVerified(settings).catch((err) => logger.error({ err }, 'could not record the webhook verification')),
  });
  const koa = app.callback();
  const intake = whatsapp.webhookIntake;
  httpServer.on('request', (req, res) => (intake.handles(req) ? intake.handle(req, res) : koa(req, res)));
  httpServer.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  await whatsapp.start(url);
  ready = true;
  logger.info({ url, mode: config.mode, database: config.database.client }, 'ConnectDesk is ready');
  if (config.mode === 'sandbox') {
    announce('SANDBOX MODE: no WHATSAPP_ACCESS_TOKEN set — WhatsApp is simulated at /sandbox/ (nothing reaches Meta).');
  }

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    config,
    generatedAdmin,
    close() {
      closing ??= (async () => {
        ready = false;
        // Stop taking new work, let in-flight requests and sends finish, then close the database.
        const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        io.disconnectSockets(true);
        httpServer.closeIdleConnections();
        await whatsapp.stop();
        await io.close().catch(() => {});
        if (redis) await closeRedis(redis);
        const timer = setTimeout(() => httpServer.closeAllConnections(), 10_000);
        await httpClosed;
        clearTimeout(timer);
        await checkpointer?.stop();
        await db.destroy();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`config error: ${p}\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const announce = (line: string) => process.stdout.write(`\n  ${line}\n\n`);
  let server: RunningServer;
  try {
    server = await start(config, { logger, announce });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') process.stderr.write(`error: port ${config.port} is already in use; set PORT to a free port\n`);
    else if (e.code === 'EACCES') process.stderr.write(`error: no permission to listen on port ${config.port}; use a port above 1023\n`);
    else if (err instanceof RedisUnavailableError) process.stderr.write(`error: ${err.message}\n`);
    else if (e.code === 'ECONNREFUSED') process.stderr.write(`error: cannot reach the database (${e.message}); check DATABASE_URL\n`);
    else logger.fatal({ err }, 'could not start');
    process.exit(1);
  }
  announce(`ConnectDesk on ${server.url}/  — demo page: /   admin: /admin/   ${config.mode === 'sandbox' ? 'sandbox: /sandbox/' : ''}`);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
