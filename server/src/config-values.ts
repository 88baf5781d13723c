/**
 * Parsers for single configuration values (config.ts puts them together): each takes the raw
 * environment value, adds one readable line to `problems` when it is wrong, and returns the value
 * to use (the default when it is missing or wrong).
 */
import path from 'node:path';
import { compileTrust, type ProxyTrust } from './requests/client-address.ts';
import { weakSecretReason } from './secret-strength.ts';

export type DatabaseConfig = { client: 'sqlite'; filename: string } | { client: 'pg'; connectionString: string };

export function parseIntIn(name: string, raw: string | undefined, def: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return def;
  }
  return Number(raw);
}

export function parseBool(name: string, raw: string | undefined, def: boolean, problems: string[]): boolean {
  if (raw === undefined) return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return def;
}

export function parseDatabase(raw: string | undefined, dataDir: string, problems: string[]): DatabaseConfig {
  if (!raw) return { client: 'sqlite', filename: path.join(dataDir, 'connectdesk.sqlite') };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { client: 'pg', connectionString: raw };
  if (scheme === 'sqlite' || scheme === 'file') {
    const file = raw.replace(/^(sqlite|file):(\/\/)?/i, '');
    if (!file) problems.push('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/connectdesk.sqlite');
    return { client: 'sqlite', filename: path.resolve(file || path.join(dataDir, 'connectdesk.sqlite')) };
  }
  problems.push(`DATABASE_URL has an unsupported scheme "${scheme ?? raw}": use postgres://user@host:5432/db, or leave it unset for SQLite in DATA_DIR`);
  return { client: 'sqlite', filename: path.join(dataDir, 'connectdesk.sqlite') };
}

export function parseUrl(name: string, raw: string | undefined, schemes: string[], problems: string[]): string | null {
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

/**
 * TRUST_PROXY: unset/false/0 = no proxy (the TCP peer is the client); true = one proxy in front;
 * N = N proxies in front. TRUSTED_PROXIES: comma-separated addresses/CIDRs of the proxies; a hop
 * is trusted only if it is in that list (and within N hops when TRUST_PROXY is a number).
 */
export function parseProxyTrust(trustRaw: string | undefined, listRaw: string | undefined, problems: string[]): ProxyTrust {
  let hops: number | null = 0;
  if (trustRaw === undefined) hops = listRaw ? null : 0;
  else if (/^(1|true|yes|on)$/i.test(trustRaw)) hops = 1;
  else if (/^(0|false|no|off)$/i.test(trustRaw)) hops = 0;
  else if (/^\d+$/.test(trustRaw) && Number(trustRaw) <= 10) hops = Number(trustRaw);
  else problems.push(`TRUST_PROXY must be true, false or the number of proxies in front of the server (0 to 10), got "${trustRaw}"`);
  if (!listRaw) return { hops, proxies: null };
  const proxies = listRaw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (hops === 0 && trustRaw !== undefined) {
    problems.push('TRUSTED_PROXIES lists proxies but TRUST_PROXY says there are none: unset TRUST_PROXY or set it to the number of proxies');
  }
  try {
    compileTrust({ hops: 1, proxies });
  } catch (err) {
    problems.push(`TRUSTED_PROXIES must be addresses or CIDRs separated by commas (e.g. 10.0.0.0/8,::1): ${(err as Error).message}`);
  }
  return { hops, proxies };
}

/** REDIS_PREFIX: letters, digits and `._:-`, starting with a letter or digit (default `connectdesk`). */
export function parseRedisPrefix(raw: string | undefined, problems: string[]): string {
  if (raw === undefined) return 'connectdesk';
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(raw)) {
    problems.push(`REDIS_PREFIX must be 1 to 64 letters, digits or . _ : - (starting with a letter or digit), got "${raw}"`);
    return 'connectdesk';
  }
  return raw;
}

/**
 * METRICS_TOKEN: the bearer token Prometheus sends to `GET /metrics`. Unset: no metrics endpoint.
 * It travels in a header (visible ASCII only) and guards operational data, so it must be strong.
 */
export function parseMetricsToken(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  if (!/^[\x21-\x7e]+$/.test(raw)) {
    problems.push('METRICS_TOKEN must be printable ASCII without spaces (generate one: openssl rand -hex 32)');
    return null;
  }
  const weak = weakSecretReason(raw);
  if (weak) {
    problems.push(`METRICS_TOKEN is too weak: ${weak} (generate one: openssl rand -hex 32)`);
    return null;
  }
  return raw;
}

/** "desk@example.com" or "ConnectDesk <desk@example.com>". */
const FROM_ADDRESS = /^(?:[^<>\r\n]{1,100}<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

/**
 * SMTP_URL (smtp:// with STARTTLS when the server offers it, smtps:// for TLS from the start) and
 * SMTP_FROM, which must come with it. A production server also needs PUBLIC_URL, so the e-mails
 * can link to the conversation.
 */
export function parseSmtp(
  url: string | undefined,
  from: string | undefined,
  ctx: { production: boolean; publicUrl: string | null },
  problems: string[],
): { url: string; from: string } | null {
  if (!url) {
    if (from) problems.push('SMTP_FROM is set but SMTP_URL is not: set SMTP_URL (e.g. smtp://user:password@smtp.example.com:587) to send e-mail');
    return null;
  }
  let ok = true;
  try {
    const u = new URL(url);
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('scheme');
    if (!u.hostname) throw new Error('host');
  } catch {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL with a host, e.g. smtp://user:password@smtp.example.com:587');
    ok = false;
  }
  if (!from) {
    problems.push('SMTP_FROM is required with SMTP_URL: the sender of notification e-mails, e.g. "ConnectDesk <desk@example.com>"');
    ok = false;
  } else if (!FROM_ADDRESS.test(from)) {
    problems.push(`SMTP_FROM must be an address like desk@example.com or "ConnectDesk <desk@example.com>", got "${from}"`);
    ok = false;
  }
  if (ctx.production && !ctx.publicUrl) {
    problems.push('PUBLIC_URL is required with SMTP_URL in production: notification e-mails link to the admin app there');
    ok = false;
  }
  return ok ? { url, from: from! } : null;
}
