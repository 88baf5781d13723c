/**
 * What an agent sees about a web visitor besides what they typed: the page they wrote from (the
 * latest one) and their browser. Both live in the contact's `meta` JSON; the browser is stored as
 * the raw User-Agent and shown as a short "Chrome 126 on Android".
 */
import { fromJson, toJson } from '../db/json.ts';

export interface VisitorClient {
  pageUrl?: string | null;
  userAgent?: string | null;
}

interface VisitorMeta {
  page_url?: unknown;
  user_agent?: unknown;
  [key: string]: unknown;
}

const MAX_PAGE_URL = 2048;
const MAX_USER_AGENT = 512;

/** The contact's meta with this client's details merged in, or null when nothing changed. */
export function mergeVisitorMeta(stored: string | null, client: VisitorClient): string | null {
  const meta = fromJson<VisitorMeta>(stored, {});
  const next: VisitorMeta = { ...meta };
  if (client.pageUrl) next.page_url = client.pageUrl.slice(0, MAX_PAGE_URL);
  if (client.userAgent) next.user_agent = client.userAgent.slice(0, MAX_USER_AGENT);
  return next.page_url === meta.page_url && next.user_agent === meta.user_agent ? null : toJson(next);
}

/** The details to store for a visitor created now. */
export function newVisitorMeta(client: VisitorClient): Record<string, unknown> {
  return fromJson<Record<string, unknown>>(mergeVisitorMeta(null, client), {});
}

/** `page_url` and a readable `browser` from a contact's meta (null when unknown). */
export function visitorDetails(stored: string | null): { page_url: string | null; browser: string | null } {
  const meta = fromJson<VisitorMeta>(stored, {});
  return {
    page_url: typeof meta.page_url === 'string' ? meta.page_url : null,
    browser: typeof meta.user_agent === 'string' ? describeUserAgent(meta.user_agent) : null,
  };
}

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and so on.
const BROWSERS: [string, RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\b(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)(?:\.\d+)*.*\bSafari\//],
];

const SYSTEMS: [string, RegExp][] = [
  ['Android', /\bAndroid\b/],
  ['iPhone', /\biPhone\b/],
  ['iPad', /\biPad\b/],
  ['Windows', /\bWindows\b/],
  ['ChromeOS', /\bCrOS\b/],
  ['macOS', /\bMac OS X\b|\bMacintosh\b/],
  ['Linux', /\bLinux\b/],
];

/** "Chrome 126 on Android"; an agent is not helped by the full User-Agent string. */
export function describeUserAgent(ua: string): string {
  const browser = BROWSERS.map(([name, re]) => [name, re.exec(ua)] as const).find(([, m]) => m);
  const system = SYSTEMS.find(([, re]) => re.test(ua))?.[0];
  if (!browser) return system ? `Unknown browser on ${system}` : ua.slice(0, 80);
  const [name, match] = browser;
  return `${name} ${match![1]}${system ? ` on ${system}` : ''}`;
}
