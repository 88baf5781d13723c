/**
 * Configuration, parsed once from the environment (plus `.env`, read by main.ts) and validated.
 * Every problem is reported at once, one human line each. Nothing else reads process.env.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { ProxyTrust } from './requests/client-address.ts';
import {
  type DatabaseConfig,
  parseBool,
  parseDatabase,
  parseIntIn,
  parseMetricsToken,
  parseProxyTrust,
  parseRedisPrefix,
  parseSmtp,
  parseUrl,
} from './config-values.ts';
import { isLoopbackUrl } from './loopback.ts';
import { weakSecretReason } from './secret-strength.ts';

interface WhatsAppConfig {
  /** null → sandbox mode. */
  accessToken: string | null;
  phoneNumberId: string;
  wabaId: string;
  verifyToken: string;
  appSecret: string;
  /**
   * Sandbox mode without WHATSAPP_WEBHOOK_SECRET / WHATSAPP_APP_SECRET: the values above are
   * placeholders until main.ts puts this install's own (DATA_DIR/sandbox-secrets.json) in.
   */
  verifyTokenGenerated: boolean;
  appSecretGenerated: boolean;
  targetPhone: string | null;
  apiVersion: string;
  /** Base URL of a Graph-compatible API, without the version. */
  graphUrl: string | null;
  messagesPerSecond: number;
  requestTimeoutMs: number;
  /** How long an outbox row stays leased to the node sending it (OUTBOX_LEASE_MS). */
  outboxLeaseMs: number;
  /** The owner pair budget (Meta's 131056): messages to the owner's phone at once, and one more per interval. */
  ownerBurst: number;
  ownerIntervalMs: number;
}

export interface Config {
  mode: 'live' | 'sandbox';
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  publicUrl: string | null;
  dataDir: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** Namespace of this install's keys in Redis (limits, send budget), so installs can share one Redis. */
  redisPrefix: string;
  appKey: Buffer;
  appKeyGenerated: boolean;
  admin: { email: string; password: string } | null;
  /** Which reverse proxies may tell us the client's address and scheme (TRUST_PROXY, TRUSTED_PROXIES). */
  proxyTrust: ProxyTrust;
  /** Whether any proxy is trusted at all (then X-Forwarded-Proto/Host from a trusted peer count). */
  trustProxy: boolean;
  /** Open TCP connections allowed from one address that is not a trusted proxy (0 = no cap). */
  maxConnectionsPerIp: number;
  /** Multiplies every per-address visitor limit (limits/traffic-limits.ts); 1 = the defaults. */
  visitorLimitsPerAddress: number;
  /** Messages one visitor may send a minute (limits/traffic-limits.ts); default 30. */
  visitorMessagesPerMinute: number;
  logLevel: string;
  /** Bearer token for `GET /metrics` (METRICS_TOKEN); null: the endpoint is off (404). */
  metricsToken: string | null;
  siteName: string;
  /** SMTP_URL + SMTP_FROM: e-mail notifications (off when null). */
  smtp: { url: string; from: string } | null;
  whatsapp: WhatsAppConfig;
  sandbox: {
    webhookUrl: string | null;
    duplicateAndReorder: boolean;
    /** SANDBOX=true: sandbox mode chosen on purpose (required in production at a public URL). */
    optIn: boolean;
    /** The simulated pair rate (131056): Meta's 45 at once and one per 6 s unless set. */
    pairRate: { burst: number; intervalMs: number };
  };
}

/** The owner's simulated phone in sandbox mode when WHATSAPP_TARGET_PHONE_NUMBER is unset. */
export const SANDBOX_OWNER_PHONE = '15550100001';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const EnvSchema = z.object({
  NODE_ENV: optional,
  PORT: optional,
  HOST: optional,
  PUBLIC_URL: optional,
  DATA_DIR: optional,
  DATABASE_URL: optional,
  REDIS_URL: optional,
  REDIS_PREFIX: optional,
  METRICS_TOKEN: optional,
  APP_KEY: optional,
  ADMIN_EMAIL: optional,
  ADMIN_PASSWORD: optional,
  TRUST_PROXY: optional,
  TRUSTED_PROXIES: optional,
  MAX_CONNECTIONS_PER_IP: optional,
  VISITOR_LIMITS_PER_ADDRESS: optional,
  VISITOR_MESSAGES_PER_MINUTE: optional,
  LOG_LEVEL: optional,
  SITE_NAME: optional,
  SMTP_URL: optional,
  SMTP_FROM: optional,
  WHATSAPP_ACCESS_TOKEN: optional,
  WHATSAPP_PHONE_NUMBER_ID: optional,
  WHATSAPP_WABA_ID: optional,
  WHATSAPP_WEBHOOK_SECRET: optional,
  WHATSAPP_APP_SECRET: optional,
  WHATSAPP_TARGET_PHONE_NUMBER: optional,
  WHATSAPP_API_VERSION: optional,
  WHATSAPP_GRAPH_URL: optional,
  WHATSAPP_MPS: optional,
  WHATSAPP_TIMEOUT_MS: optional,
  OUTBOX_LEASE_MS: optional,
  WHATSAPP_OWNER_BURST: optional,
  WHATSAPP_OWNER_INTERVAL_MS: optional,
  SANDBOX: optional,
  SANDBOX_WEBHOOK_URL: optional,
  SANDBOX_CHAOS: optional,
  SANDBOX_PAIR_BURST: optional,
  SANDBOX_PAIR_INTERVAL_MS: optional,
});

/** A random secret (32 hex characters), for the generated sandbox secrets. */
export function generateSecret(): string {
  return randomBytes(16).toString('hex');
}

/** Which mode, and whether that choice is allowed here (SANDBOX, the token, production at a public URL). */
function chooseMode(
  e: { SANDBOX?: string; WHATSAPP_ACCESS_TOKEN?: string },
  nodeEnv: Config['env'],
  publicUrl: string | null,
  problems: string[],
): { mode: Config['mode']; optIn: boolean } {
  const valid = e.SANDBOX === undefined || /^(1|true|yes|on|0|false|no|off)$/i.test(e.SANDBOX);
  const choice = e.SANDBOX === undefined ? undefined : parseBool('SANDBOX', e.SANDBOX, false, problems);
  if (!valid) return { mode: e.WHATSAPP_ACCESS_TOKEN ? 'live' : 'sandbox', optIn: false };
  const token = Boolean(e.WHATSAPP_ACCESS_TOKEN);
  if (choice === true && token) {
    problems.push('SANDBOX=true and WHATSAPP_ACCESS_TOKEN are both set: unset WHATSAPP_ACCESS_TOKEN to simulate WhatsApp, or SANDBOX to connect to Meta');
  }
  if (choice === false && !token) problems.push('WHATSAPP_ACCESS_TOKEN is required with SANDBOX=false (or set SANDBOX=true to run on the simulated Cloud API)');
  if (choice === undefined && !token && nodeEnv === 'production' && publicUrl && !isLoopbackUrl(publicUrl)) {
    problems.push(
      `WHATSAPP_ACCESS_TOKEN is not set in production at ${publicUrl}: set it (with the other WHATSAPP_* variables) to connect to Meta, or SANDBOX=true to run on the simulated Cloud API on purpose`,
    );
  }
  return { mode: token && choice !== true ? 'live' : 'sandbox', optIn: choice === true };
}

/** Live mode: secrets strong enough to stop guessing, and a Graph URL only Meta could answer. */
function checkLiveSecurity(e: { WHATSAPP_APP_SECRET?: string; WHATSAPP_WEBHOOK_SECRET?: string }, graphUrl: string | null, problems: string[]): void {
  for (const [name, value] of [
    ['WHATSAPP_APP_SECRET', e.WHATSAPP_APP_SECRET],
    ['WHATSAPP_WEBHOOK_SECRET', e.WHATSAPP_WEBHOOK_SECRET],
  ] as const) {
    const weak = value ? weakSecretReason(value) : null;
    if (weak) problems.push(`${name} is too weak for live mode: ${weak} (generate one: openssl rand -hex 16)`);
  }
  if (graphUrl?.startsWith('http://') && !isLoopbackUrl(graphUrl)) {
    problems.push(
      `WHATSAPP_GRAPH_URL must be https:// in live mode (the access token travels with every call), got "${graphUrl}"; plain http:// is allowed only to this machine (localhost, 127.0.0.1, ::1)`,
    );
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const e = EnvSchema.parse(env);
  const problems: string[] = [];

  const nodeEnv = e.NODE_ENV === 'production' || e.NODE_ENV === 'test' ? e.NODE_ENV : 'development';
  const port = parseIntIn('PORT', e.PORT, 3000, 0, 65535, problems);
  const dataDir = path.resolve(cwd, e.DATA_DIR ?? './data');
  const database = parseDatabase(e.DATABASE_URL, dataDir, problems);
  const redisUrl = parseUrl('REDIS_URL', e.REDIS_URL, ['redis', 'rediss'], problems);
  const redisPrefix = parseRedisPrefix(e.REDIS_PREFIX, problems);
  const metricsToken = parseMetricsToken(e.METRICS_TOKEN, problems);
  const publicUrl = parseUrl('PUBLIC_URL', e.PUBLIC_URL, ['http', 'https'], problems);
  const graphUrl = parseUrl('WHATSAPP_GRAPH_URL', e.WHATSAPP_GRAPH_URL, ['http', 'https'], problems);
  const sandboxWebhookUrl = parseUrl('SANDBOX_WEBHOOK_URL', e.SANDBOX_WEBHOOK_URL, ['http', 'https'], problems);

  let appKey: Buffer;
  let appKeyGenerated = false;
  if (e.APP_KEY) {
    const raw = e.APP_KEY.replace(/^base64:/, '');
    const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32) {
      problems.push('APP_KEY must be 32 bytes, as 64 hex characters or base64 (generate one: openssl rand -hex 32)');
    }
    appKey = key;
  } else {
    appKey = Buffer.alloc(0); // main.ts loads or creates DATA_DIR/app.key
    appKeyGenerated = true;
  }

  if ((e.ADMIN_EMAIL && !e.ADMIN_PASSWORD) || (!e.ADMIN_EMAIL && e.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  }
  if (e.ADMIN_PASSWORD && e.ADMIN_PASSWORD.length < 8) problems.push('ADMIN_PASSWORD must be at least 8 characters');

  const apiVersion = e.WHATSAPP_API_VERSION ?? 'v25.0';
  if (!/^v\d+\.\d+$/.test(apiVersion)) problems.push(`WHATSAPP_API_VERSION must look like v25.0, got "${apiVersion}"`);

  const phoneNumberId = e.WHATSAPP_PHONE_NUMBER_ID ?? '100000000000001';
  if (!/^\d+$/.test(phoneNumberId)) problems.push(`WHATSAPP_PHONE_NUMBER_ID must be digits (Meta's phone number id), got "${phoneNumberId}"`);

  let targetPhone: string | null = null;
  if (e.WHATSAPP_TARGET_PHONE_NUMBER) {
    targetPhone = e.WHATSAPP_TARGET_PHONE_NUMBER.replace(/[^\d]/g, '');
    if (targetPhone.length < 7 || targetPhone.length > 15) {
      problems.push(`WHATSAPP_TARGET_PHONE_NUMBER must be a phone number in international format, got "${e.WHATSAPP_TARGET_PHONE_NUMBER}"`);
    }
  }

  const { mode, optIn } = chooseMode(e, nodeEnv, publicUrl, problems);
  // In sandbox mode the owner has a simulated phone too, so visitor messages are forwarded somewhere.
  if (!targetPhone && mode === 'sandbox') targetPhone = SANDBOX_OWNER_PHONE;
  if (mode === 'live') {
    if (!e.WHATSAPP_PHONE_NUMBER_ID) problems.push('WHATSAPP_PHONE_NUMBER_ID is required with WHATSAPP_ACCESS_TOKEN');
    if (!e.WHATSAPP_WEBHOOK_SECRET) problems.push('WHATSAPP_WEBHOOK_SECRET (the webhook verify token) is required with WHATSAPP_ACCESS_TOKEN');
    if (!e.WHATSAPP_APP_SECRET) problems.push('WHATSAPP_APP_SECRET is required with WHATSAPP_ACCESS_TOKEN, so webhooks can be verified');
    checkLiveSecurity(e, graphUrl, problems);
  }

  const messagesPerSecond = parseIntIn('WHATSAPP_MPS', e.WHATSAPP_MPS, 80, 1, 1000, problems);
  const requestTimeoutMs = parseIntIn('WHATSAPP_TIMEOUT_MS', e.WHATSAPP_TIMEOUT_MS, 10_000, 100, 120_000, problems);
  // A lease must outlive the slowest send, or a second node could send the same row meanwhile.
  const outboxLeaseMs = parseIntIn('OUTBOX_LEASE_MS', e.OUTBOX_LEASE_MS, Math.max(30_000, requestTimeoutMs * 4), 1_000, 3_600_000, problems);
  if (e.OUTBOX_LEASE_MS && outboxLeaseMs <= requestTimeoutMs) problems.push(`OUTBOX_LEASE_MS must be longer than WHATSAPP_TIMEOUT_MS (${requestTimeoutMs} ms)`);
  // Below Meta's ~45 at once: messages reach Meta later than they leave, some bunched up.
  const ownerBurst = parseIntIn('WHATSAPP_OWNER_BURST', e.WHATSAPP_OWNER_BURST, 40, 1, 1000, problems);
  const ownerIntervalMs = parseIntIn('WHATSAPP_OWNER_INTERVAL_MS', e.WHATSAPP_OWNER_INTERVAL_MS, 6_000, 100, 600_000, problems);
  const sandboxPairBurst = parseIntIn('SANDBOX_PAIR_BURST', e.SANDBOX_PAIR_BURST, 45, 1, 1000, problems);
  const sandboxPairIntervalMs = parseIntIn('SANDBOX_PAIR_INTERVAL_MS', e.SANDBOX_PAIR_INTERVAL_MS, 6_000, 100, 600_000, problems);
  const proxyTrust = parseProxyTrust(e.TRUST_PROXY, e.TRUSTED_PROXIES, problems);
  const maxConnectionsPerIp = parseIntIn('MAX_CONNECTIONS_PER_IP', e.MAX_CONNECTIONS_PER_IP, 256, 0, 100_000, problems);
  const visitorLimitsPerAddress = parseIntIn('VISITOR_LIMITS_PER_ADDRESS', e.VISITOR_LIMITS_PER_ADDRESS, 1, 1, 1000, problems);
  const visitorMessagesPerMinute = parseIntIn('VISITOR_MESSAGES_PER_MINUTE', e.VISITOR_MESSAGES_PER_MINUTE, 30, 1, 600, problems);
  const chaos = parseBool('SANDBOX_CHAOS', e.SANDBOX_CHAOS, false, problems);
  const smtp = parseSmtp(e.SMTP_URL, e.SMTP_FROM, { production: nodeEnv === 'production', publicUrl }, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    mode,
    env: nodeEnv,
    port,
    host: e.HOST ?? '0.0.0.0',
    publicUrl,
    dataDir,
    database,
    redisUrl,
    redisPrefix,
    appKey,
    appKeyGenerated,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD } : null,
    proxyTrust: Object.freeze(proxyTrust),
    trustProxy: proxyTrust.hops !== 0,
    maxConnectionsPerIp,
    visitorLimitsPerAddress,
    visitorMessagesPerMinute,
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    metricsToken,
    siteName: e.SITE_NAME ?? 'ConnectDesk',
    smtp: smtp ? Object.freeze(smtp) : null,
    whatsapp: Object.freeze({
      accessToken: mode === 'live' ? (e.WHATSAPP_ACCESS_TOKEN ?? null) : null,
      phoneNumberId,
      wabaId: e.WHATSAPP_WABA_ID ?? '200000000000001',
      // Unguessable placeholders; main.ts swaps in this install's stored ones.
      verifyToken: e.WHATSAPP_WEBHOOK_SECRET ?? generateSecret(),
      appSecret: e.WHATSAPP_APP_SECRET ?? generateSecret(),
      verifyTokenGenerated: !e.WHATSAPP_WEBHOOK_SECRET,
      appSecretGenerated: !e.WHATSAPP_APP_SECRET,
      targetPhone,
      apiVersion,
      graphUrl,
      messagesPerSecond,
      requestTimeoutMs,
      outboxLeaseMs,
      ownerBurst,
      ownerIntervalMs,
    }),
    sandbox: Object.freeze({
      webhookUrl: sandboxWebhookUrl,
      duplicateAndReorder: chaos,
      optIn,
      pairRate: Object.freeze({ burst: sandboxPairBurst, intervalMs: sandboxPairIntervalMs }),
    }),
  });
}

/** A fresh random key, for `APP_KEY` generation. */
export function generateAppKey(): string {
  return randomBytes(32).toString('hex');
}
