/**
 * The one composition root: loadConfig → knex + migrate → services → createApp → listen.
 * `start()` is also what the integration tests run, on port 0 with a temp DATA_DIR.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import dotenv from 'dotenv';
import { type MessageJson, SatisfactionSettingsSchema, WhatsAppRatesSchema, WidgetSettingsSchema } from '@connectdesk/shared';
import { createApp } from './app.ts';
import { createAgentDay } from './composition/agent-day.ts';
import { createRepositories } from './composition/repositories.ts';
import { createWhatsApp } from './composition/whatsapp.ts';
import { createRouters } from './http/routers.ts';
import { AuthService } from './auth/auth-service.ts';
import { SignInThrottle } from './auth/sign-in-throttle.ts';
import { ensureFirstAdmin } from './auth/first-admin.ts';
import { ConfigError, generateAppKey, loadConfig, type Config } from './config.ts';
import { secureDataDir } from './data-dir.ts';
import { withSandboxSecrets } from './sandbox-secrets.ts';
import { loopbackOrAdminSession } from './http/middleware/sandbox-access.ts';
import { ChatService } from './conversations/chat-service.ts';
import { ConversationLog } from './conversations/conversation-log.ts';
import { createGroupCommit } from './db/group-commit.ts';
import { createDb, isMigrated, migrate } from './db/knex.ts';
import { TimelineEvents } from './conversations/timeline-events.ts';
import { startWalCheckpointer } from './db/sqlite/wal-checkpointer.ts';
import { recordWebhookVerified } from './http/routes/admin-checklist.ts';
import { StaticAssets } from './http/static-assets.ts';
import { ClientAddresses } from './requests/client-address.ts';
import { createHttpServer } from './http/http-server.ts';
import { withAccessLog } from './http/access-log.ts';
import { Metrics } from './metrics/metrics.ts';
import { memoryLimiters } from './limits/limiter-factory.ts';
import { redisLimiters } from './limits/redis-limiters.ts';
import { TrafficLimits, trafficLimitSettings } from './limits/traffic-limits.ts';
import { createLogger, type Logger } from './logger.ts';
import { createHub } from './realtime/hub.ts';
import { attachNamespaces, createIo, socketCounts } from './realtime/io.ts';
import { adminAccessEnds } from './realtime/admin-access-ends.ts';
import { createRedisAdapter } from './realtime/redis-adapter.ts';
import { startSessionSweep } from './realtime/session-sweep.ts';
import { closeRedis, connectRedis, RedisUnavailableError, type Redis } from './redis.ts';
import { SecretBox } from './secret-box.ts';
import { VERSION } from './version.ts';
import { VisitorMediaLinks } from './conversations/visitor-media-links.ts';
import { agentWebFiles } from './whatsapp/agent-web-files.ts';
import { VISITOR_UPLOADS } from './whatsapp/media-uploads.ts';
import { SATISFACTION_SETTINGS_KEY, WHATSAPP_RATES_KEY } from './http/routes/admin-report-settings.ts';
import { WIDGET_SETTINGS_KEY } from './http/routes/admin-settings.ts';
import { CycleDurations } from './reports/cycle-durations.ts';
import { ReportsService } from './reports/reports-service.ts';
import { SurveyService } from './satisfaction/survey-service.ts';
import { WhatsAppSurveyAnswers } from './satisfaction/whatsapp-answers.ts';
import { TokenBucketRateGate, type RateGate } from './whatsapp/rate-gate.ts';
import { RedisRateGate } from './whatsapp/rate-gate-redis.ts';
import { RedisPairBudget } from './whatsapp/pair-budget-redis.ts';
import type { PairBudget } from './whatsapp/pair-budget.ts';
import { Reactions } from './conversations/reactions.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartOptions {
  logger?: Logger;
  /** Where the built widget and admin app live (defaults to the workspace's dist folders). */
  widgetDist?: string;
  adminDist?: string;
  /** Print the generated first admin (main does; tests read it from the handle). */
  announce?: (line: string) => void;
  /** How often admin sockets' sessions are re-checked against the database (default 10 s). */
  sessionSweepMs?: number;
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
    fs.writeFileSync(file, generateAppKey() + '\n', { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}

/** With Redis every node draws from one per-number send budget and one owner pair budget; alone, the in-process ones. */
function sharedSendBudgets(config: Config, redis: Redis | null, logger: Logger): { rateGate?: RateGate; sharedPairBudget?: (local: PairBudget) => PairBudget } {
  if (!redis) return {};
  const perSecond = config.whatsapp.messagesPerSecond;
  const owner = { burst: config.whatsapp.ownerBurst, intervalMs: config.whatsapp.ownerIntervalMs };
  return {
    rateGate: new RedisRateGate({ redis, perSecond, fallback: new TokenBucketRateGate({ perSecond }), logger, prefix: config.redisPrefix }),
    sharedPairBudget: (fallback) => new RedisPairBudget({ redis, ...owner, fallback, logger, prefix: config.redisPrefix }),
  };
}

export async function start(loaded: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger({ level: loaded.logLevel });
  const announce = opts.announce ?? ((line: string) => logger.warn(line));
  // Only this account may read the data: DATA_DIR 0700, the SQLite file 0600 (fixed if others could).
  const dataDir = secureDataDir({ dataDir: loaded.dataDir, sqliteFile: loaded.database.client === 'sqlite' ? loaded.database.filename : null });
  if (dataDir.problems.length > 0) throw new ConfigError(dataDir.problems);
  for (const fixed of dataDir.fixed) logger.warn({ fixed }, 'other users could read this: made it private to this account');
  const config = withSandboxSecrets(loaded);
  const appKey = resolveAppKey(config);
  const secrets = new SecretBox(appKey);
  const visitorMedia = new VisitorMediaLinks(appKey);

  const db = createDb(config.database);
  await migrate(db);
  const tx = createGroupCommit(db);
  const checkpointer = config.database.client === 'sqlite' ? await startWalCheckpointer(config.database.filename, db, logger) : null;
  // Scale-out: with REDIS_URL, socket.io rooms span every node.
  let redis: Redis | null = null;
  if (config.redisUrl) {
    redis = await connectRedis(config.redisUrl, logger).catch(async (err: unknown) => {
      await checkpointer?.stop();
      await db.destroy();
      throw err;
    });
  }

  // Per-address limits key on the client behind trusted proxies. Every limiter (visitor traffic,
  // connections, sign-in) comes from this one factory: Redis with REDIS_URL (every node counts
  // together), else this process's memory.
  const addresses = new ClientAddresses(config.proxyTrust);
  const limiters = redis ? redisLimiters({ redis, prefix: config.redisPrefix, logger }) : memoryLimiters();
  const limits = new TrafficLimits(
    limiters,
    trafficLimitSettings({ perAddress: config.visitorLimitsPerAddress, visitorMessagesPerMinute: config.visitorMessagesPerMinute }),
  );

  // socket.io attaches to the HTTP server once the request handler exists (below); the admin
  // namespace is needed now, so ending access can cut its sockets.
  const io = createIo({ adapter: redis ? createRedisAdapter(redis) : undefined });
  const repos = createRepositories(db, { tx, onMessageStored: (m) => metrics.messageStored(m.direction, m.channel) });
  const metrics = new Metrics({
    processMetrics: config.metricsToken !== null,
    sources: { outbox: repos.outbox, webhookEvents: repos.webhookEvents, sockets: () => socketCounts(io) },
  });
  const { users, settings } = repos;
  // Unread counts, presence, notification preferences and e-mails; its hub keeps unread counts live.
  const agentDay = createAgentDay({ config, repos, io, hub: createHub(io), clustered: redis !== null, logger });
  const hub = agentDay.hub;

  const auth = new AuthService({
    users,
    sessions: repos.sessions,
    apiTokens: repos.apiTokens,
    throttle: new SignInThrottle(limiters),
    accessEnds: adminAccessEnds(io.of('/admin')),
  });
  const generatedAdmin = await ensureFirstAdmin({ users, auth, admin: config.admin, logger, announce });

  const { contacts, conversations, messages } = repos;
  const mediaUrl = (id: string) => `/admin/api/media/${id}`;
  const forVisitor = (m: MessageJson) => visitorMedia.forVisitor(m);
  const log = new ConversationLog({ conversations, messages, notifier: hub, mediaUrl, forVisitor });
  const whatsapp = await createWhatsApp({
    config,
    repos,
    tx,
    logger,
    hub,
    secrets,
    log,
    forVisitor,
    ...sharedSendBudgets(config, redis, logger),
    sandboxAccess: loopbackOrAdminSession({ auth, publicUrl: config.publicUrl }),
    metrics,
    surveyAnswers: new WhatsAppSurveyAnswers(repos.surveys),
  });
  const surveys = new SurveyService({
    tx,
    surveys: repos.surveys,
    conversations,
    contacts,
    hub,
    log,
    whatsapp: whatsapp.bridge,
    enabled: async () => (await settings.get(SATISFACTION_SETTINGS_KEY, SatisfactionSettingsSchema)).enabled,
    siteName: config.siteName,
    logger,
  });
  const chat = new ChatService({
    tx,
    contacts,
    conversations,
    messages,
    timeline: new TimelineEvents({ messages, users }),
    log,
    notifier: hub,
    whatsapp: whatsapp.bridge,
    verification: whatsapp.verification,
    logger,
    mediaUrl,
    forVisitor,
    webFiles: agentWebFiles(repos.media, VISITOR_UPLOADS),
    afterResolve: (id) => surveys.offer(id),
    reactions: new Reactions({ tx, messages, conversations, changes: whatsapp.changes, log, whatsapp: whatsapp.reactions, forVisitor }),
  });
  attachNamespaces(io, {
    chat,
    surveys,
    hub,
    logger,
    auth,
    publicUrl: config.publicUrl,
    limits,
    addresses,
    presence: agentDay.presence,
    unread: agentDay.unread,
  });
  const sessionSweep = startSessionSweep({
    nsp: io.of('/admin'),
    validSessions: (ids) => auth.validSessions(ids),
    logger,
    intervalMs: opts.sessionSweepMs,
  });

  const businessHours = async () => (await settings.get(WIDGET_SETTINGS_KEY, WidgetSettingsSchema)).business_hours;
  const reports = new ReportsService({
    db,
    surveys: repos.surveys,
    businessHours,
    durations: new CycleDurations({ db, businessHours, basis: settings.text('report_durations_basis') }),
    rates: () => settings.get(WHATSAPP_RATES_KEY, WhatsAppRatesSchema),
    agents: async () => (await users.list()).map((u) => ({ id: u.id, name: u.name })),
  });
  const { publicRouters, adminRouters } = createRouters({
    config,
    logger,
    repos,
    auth,
    secrets,
    limits,
    visitorMedia,
    attachments: whatsapp.attachments,
    mediaStore: whatsapp.mediaStore,
    uploads: whatsapp.uploads,
    templates: whatsapp.templates,
    webhookProcessor: whatsapp.processor,
    cloudApi: whatsapp.cloudApi,
    accountHealth: whatsapp.accountHealth,
    ownerForwarding: { settings: whatsapp.ownerSettings, status: whatsapp.ownerStatus, changed: whatsapp.ownerSettingsChanged },
    surveys,
    visitorByToken: (token) => chat.visitorByToken(token),
    reports,
    presence: agentDay.presence,
    unread: agentDay.unread,
    notifications: { emailConfigured: agentDay.emailConfigured, settingsChanged: agentDay.notificationSettingsChanged },
    renderMetrics: () => metrics.render(),
  });

  let ready = false;
  const app = createApp({
    config,
    logger,
    auth,
    chat,
    clientAddresses: addresses,
    limits,
    version: VERSION,
    readiness: {
      ready: () => ready,
      check: async () => ({ db: await isMigrated(db).catch(() => false) }),
    },
    widgetAssets: StaticAssets.load(opts.widgetDist ?? path.join(ROOT, 'widget/dist')),
    adminAssets: StaticAssets.load(opts.adminDist ?? path.join(ROOT, 'admin/dist')),
    publicRouters,
    adminRouters,
    sandbox: whatsapp.sandbox,
    onWebhookVerified: () => void recordWebhookVerified(settings).catch((err) => logger.error({ err }, 'could not record the webhook verification')),
  });
  const koa = app.callback();
  const intake = whatsapp.webhookIntake;
  // socket.io takes /socket.io/ first; everything else goes to the webhook intake or Koa, with an
  // access-log line and the request id each.
  const httpServer = createHttpServer({
    io,
    handler: withAccessLog((req, res) => (intake.handles(req) ? intake.handle(req, res) : koa(req, res)), {
      logger,
      addresses,
      observe: (route, status, seconds) => metrics.httpRequest(route, status, seconds),
    }),
    addresses,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    logger,
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  await whatsapp.start(url);
  agentDay.start(url);
  ready = true;
  logger.info({ url, mode: config.mode, database: config.database.client }, 'ConnectDesk is ready');
  if (config.mode === 'sandbox' && config.sandbox.optIn) {
    logger.warn({ publicUrl: config.publicUrl, env: config.env }, 'sandbox mode chosen with SANDBOX=true');
    announce(
      `SANDBOX MODE (SANDBOX=true)${config.publicUrl ? ` at ${config.publicUrl}` : ''}: WhatsApp is simulated at /sandbox/ — nothing reaches Meta and no customer can write to you. The sandbox controls answer only signed-in admins and this machine.`,
    );
  } else if (config.mode === 'sandbox') {
    announce(
      'SANDBOX MODE: no WHATSAPP_ACCESS_TOKEN set — WhatsApp is simulated at /sandbox/ (nothing reaches Meta; its controls answer signed-in admins and this machine).',
    );
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
        sessionSweep.stop();
        // Stop taking new work, let in-flight requests and sends finish, then close the database.
        const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        io.disconnectSockets(true);
        // A keep-alive connection whose request finishes during shutdown turns idle and would hold
        // close() open until the 10 s cut-off (a container manager's SIGKILL comes at 10 s): close
        // each one as soon as it is idle.
        httpServer.closeIdleConnections();
        const idleSweep = setInterval(() => httpServer.closeIdleConnections(), 100);
        await whatsapp.stop();
        await agentDay.stop();
        await io.close().catch(() => {});
        if (redis) await closeRedis(redis);
        const timer = setTimeout(() => httpServer.closeAllConnections(), 10_000);
        await httpClosed;
        clearTimeout(timer);
        clearInterval(idleSweep);
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
  // A person at a terminal reads plain lines; piped or supervised, every line stays JSON.
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  const announce = (line: string) => process.stdout.write(`\n  ${line}\n\n`);
  let server: RunningServer;
  try {
    server = await start(config, { logger, announce });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`config error: ${p}\n`);
      process.exit(78);
    }
    if (e.code === 'EADDRINUSE') process.stderr.write(`error: port ${config.port} is already in use; set PORT to a free port\n`);
    else if (e.code === 'EACCES') process.stderr.write(`error: no permission to listen on port ${config.port}; use a port above 1023\n`);
    else if (err instanceof RedisUnavailableError) process.stderr.write(`error: ${err.message}\n`);
    else if (e.code === 'ECONNREFUSED') process.stderr.write(`error: cannot reach the database (${e.message}); check DATABASE_URL\n`);
    else logger.fatal({ err }, 'could not start');
    process.exit(1);
  }
  announce(`ConnectDesk on ${server.url}/  — demo page: /   admin: /admin/   ${config.mode === 'sandbox' ? 'sandbox: /sandbox/' : ''}`);
  // `pnpm start` in a terminal: Ctrl-C reaches the server twice (from the terminal and forwarded by
  // the start script), so a repeated signal must not cut the graceful shutdown short.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
