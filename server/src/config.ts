/**
 * Configuration, parsed once from the environment (plus `.env`, read by main.ts) and validated.
 * Every problem is reported at once, one human line each. Nothing else reads process.env.
 */
import { randomBytes, createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

export type DatabaseConfig =
  | { client: 'sqlite'; filename: string }
  | { client: 'pg'; connectionString: string };

export interface WhatsAppConfig {
  /** null → sandbox mode. */
  accessToken: string | null;
  phoneNumberId: string;
  wabaId: string;
  verifyToken: string;
  appSecret: string;
  targetPhone: string | null;
  apiVersion: string;
  /** Base URL of a Graph-compatible API, without the version. */
  graphUrl: string | null;
  messagesPerSecond: number;
  requestTimeoutMs: number;
  /** How long an outbox row stays leased to the node sending it (OUTBOX_LEASE_MS). */
  outboxLeaseMs: number;
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
  appKey: Buffer;
  appKeyGenerated: boolean;
  admin: { email: string; password: string } | null;
  trustProxy: boolean;
  logLevel: string;
  siteName: string;
  whatsapp: WhatsAppConfig;
  sandbox: { webhookUrl: string | null; duplicateAndReorder: boolean };
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
  APP_KEY: optional,
  ADMIN_EMAIL: optional,
  ADMIN_PASSWORD: optional,
  TRUST_PROXY: optional,
  LOG_LEVEL: optional,
  SITE_NAME: optional,
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
  SANDBOX_WEBHOOK_URL: optional,
  SANDBOX_CHAOS: optional,
});

function parseIntIn(name: string, raw: string | undefined, def: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return def;
  }
  return Number(raw);
}

function parseBool(name: string, raw: string | undefined, def: boolean, problems: string[]): boolean {
  if (raw === undefined) return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return def;
}

function parseDatabase(raw: string | undefined, dataDir: string, problems: string[]): DatabaseConfig {
  if (!raw) return { client: 'sqlite', filename: path.join(dataDir, 'connectdesk.sqlite') };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { client: 'pg', connectionString: raw };
  if (scheme === 'sqlite' || scheme === 'file') {
    const file = raw.replace(/^(sqlite|file):(\/\/)?/i, '');
    if (!file) problems.push('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/connectdesk.sqlite');
    return { client: 'sqlite', filename: path.resolve(file || path.join(dataDir, 'connectdesk.sqlite')) };
  }
  problems.push(
    `DATABASE_URL has an unsupported scheme "${scheme ?? raw}": use postgres://user@host:5432/db, or leave it unset for SQLite in DATA_DIR`,
  );
  return { client: 'sqlite', filename: path.join(dataDir, 'connectdesk.sqlite') };
}

function parseUrl(name: string, raw: string | undefined, schemes: string[], problems: string[]): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (!schemes.includes(u.protocol.replace(':', ''))) throw new Error('scheme');
    return raw.replace(/\/+$/, '');
  } catch {
    problems.push(`${name} must be a ${schemes.join(' or ')} URL, got "${raw}"`);
    return null;
  }
}

/** Derive a stable default from the data dir so restarts keep the same generated values. */
function derived(seed: string, label: string): string {
  return createHash('sha256').update(`${label}:${seed}`).digest('hex').slice(0, 32);
}

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const e = EnvSchema.parse(env);
  const problems: string[] = [];

  const nodeEnv = e.NODE_ENV === 'production' || e.NODE_ENV === 'test' ? e.NODE_ENV : 'development';
  const port = parseIntIn('PORT', e.PORT, 3000, 0, 65535, problems);
  const dataDir = path.resolve(cwd, e.DATA_DIR ?? './data');
  const database = parseDatabase(e.DATABASE_URL, dataDir, problems);
  const redisUrl = parseUrl('REDIS_URL', e.REDIS_URL, ['redis', 'rediss'], problems);
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

  const mode = e.WHATSAPP_ACCESS_TOKEN ? 'live' : 'sandbox';
  // In sandbox mode the owner has a simulated phone too, so visitor messages are forwarded somewhere.
  if (!targetPhone && mode === 'sandbox') targetPhone = SANDBOX_OWNER_PHONE;
  if (mode === 'live') {
    if (!e.WHATSAPP_PHONE_NUMBER_ID) problems.push('WHATSAPP_PHONE_NUMBER_ID is required with WHATSAPP_ACCESS_TOKEN');
    if (!e.WHATSAPP_WEBHOOK_SECRET) problems.push('WHATSAPP_WEBHOOK_SECRET (the webhook verify token) is required with WHATSAPP_ACCESS_TOKEN');
    if (!e.WHATSAPP_APP_SECRET) problems.push('WHATSAPP_APP_SECRET is required with WHATSAPP_ACCESS_TOKEN, so webhooks can be verified');
  }

  const messagesPerSecond = parseIntIn('WHATSAPP_MPS', e.WHATSAPP_MPS, 80, 1, 1000, problems);
  const requestTimeoutMs = parseIntIn('WHATSAPP_TIMEOUT_MS', e.WHATSAPP_TIMEOUT_MS, 10_000, 100, 120_000, problems);
  // A lease must outlive the slowest send, or a second node could send the same row meanwhile.
  const outboxLeaseMs = parseIntIn('OUTBOX_LEASE_MS', e.OUTBOX_LEASE_MS, Math.max(30_000, requestTimeoutMs * 4), 1_000, 3_600_000, problems);
  if (e.OUTBOX_LEASE_MS && outboxLeaseMs <= requestTimeoutMs) problems.push(`OUTBOX_LEASE_MS must be longer than WHATSAPP_TIMEOUT_MS (${requestTimeoutMs} ms)`);
  const trustProxy = parseBool('TRUST_PROXY', e.TRUST_PROXY, false, problems);
  const chaos = parseBool('SANDBOX_CHAOS', e.SANDBOX_CHAOS, false, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  const seed = dataDir;
  return Object.freeze({
    mode,
    env: nodeEnv,
    port,
    host: e.HOST ?? '0.0.0.0',
    publicUrl,
    dataDir,
    database,
    redisUrl,
    appKey,
    appKeyGenerated,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD } : null,
    trustProxy,
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    siteName: e.SITE_NAME ?? 'ConnectDesk',
    whatsapp: Object.freeze({
      accessToken: e.WHATSAPP_ACCESS_TOKEN ?? null,
      phoneNumberId,
      wabaId: e.WHATSAPP_WABA_ID ?? '200000000000001',
      verifyToken: e.WHATSAPP_WEBHOOK_SECRET ?? derived(seed, 'verify-token'),
      appSecret: e.WHATSAPP_APP_SECRET ?? derived(seed, 'app-secret'),
      targetPhone,
      apiVersion,
      graphUrl,
      messagesPerSecond,
      requestTimeoutMs,
      outboxLeaseMs,
    }),
    sandbox: Object.freeze({ webhookUrl: sandboxWebhookUrl, duplicateAndReorder: chaos }),
  });
}

/** A fresh random key, for `APP_KEY` generation. */
export function generateAppKey(): string {
  return randomBytes(32).toString('hex');
}
