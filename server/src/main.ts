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
import { createDb, isMigrated, migrate } from './db/knex.ts';
import { ApiTokensRepo } from './db/repos/api-tokens-repo.ts';
import { ContactsRepo } from './db/repos/contacts-repo.ts';
import { ConversationsRepo } from './db/repos/conversations-repo.ts';
import { MessagesRepo } from './db/repos/messages-repo.ts';
import { SessionsRepo } from './db/repos/sessions-repo.ts';
import { UsersRepo } from './db/repos/users-repo.ts';
import { StaticAssets } from './http/static-assets.ts';
import { createLogger, type Logger } from './logger.ts';
import { createHub } from './realtime/hub.ts';
import { attachNamespaces, createIo } from './realtime/io.ts';
import { SecretBox } from './secret-box.ts';
import { createWhatsAppModule } from './whatsapp/module.ts';

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

export async function start(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const announce = opts.announce ?? ((line: string) => logger.warn(line));
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secrets = new SecretBox(resolveAppKey(config));

  const db = createDb(config.database);
  await migrate(db);

  const users = new UsersRepo(db);
  const auth = new AuthService({ users, sessions: new SessionsRepo(db), apiTokens: new ApiTokensRepo(db) });
  let generatedAdmin: RunningServer['generatedAdmin'] = null;
  if ((await users.count()) === 0) {
    if (config.admin) {
      await auth.createUser({ email: config.admin.email, password: config.admin.password, role: 'admin', name: 'Admin' });
      logger.info({ email: config.admin.email }, 'created the first admin from ADMIN_EMAIL');
    } else {
      generatedAdmin = { email: 'admin@connectdesk.local', password: generatePassword() };
      await auth.createUser({ ...generatedAdmin, role: 'admin', name: 'Admin' });
      announce(`First start: created admin ${generatedAdmin.email} with password ${generatedAdmin.password} — sign in and change it.`);
    }
  }

  const httpServer = http.createServer();
  const io = createIo(httpServer);
  const hub = createHub(io);

  const whatsapp = await createWhatsAppModule({ config, db, logger, hub, secrets });
  const chat = new ChatService({
    db,
    contacts: new ContactsRepo(db),
    conversations: new ConversationsRepo(db),
    messages: new MessagesRepo(db),
    hub,
    whatsapp: whatsapp.bridge,
    logger,
    mediaUrl: (id) => `/admin/api/media/${id}`,
    siteName: config.siteName,
  });
  attachNamespaces(io, { chat, hub, logger, auth, publicUrl: config.publicUrl });

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
    publicRouters: whatsapp.publicRouters,
    adminRouters: whatsapp.adminRouters,
    sandbox: whatsapp.sandbox,
  });
  httpServer.on('request', app.callback());
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
        const timer = setTimeout(() => httpServer.closeAllConnections(), 10_000);
        await httpClosed;
        clearTimeout(timer);
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
