/**
 * What an agent sees about a web visitor besides what they typed: the page they wrote from (the
 * latest one), their browser, its language and time zone. All live in the contact's `meta` JSON;
 * the browser is stored as the raw User-Agent and shown as a short "Chrome 126 on Android".
 */
import { fromJson, toJson } from '../db/json.ts';

export interface VisitorClient {
  pageUrl?: string | null;
  userAgent?: string | null;
  /** From the widget's handshake, already validated (shared/agent-day.ts). */
  language?: string | null;
  timeZone?: string | null;
}

interface VisitorMeta {
  page_url?: unknown;
  user_agent?: unknown;
  language?: unknown;
  time_zone?: unknown;
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
  if (client.language) next.language = client.language.slice(0, 35);
  if (client.timeZone) next.time_zone = client.timeZone.slice(0, 64);
  const same = (['page_url', 'user_agent', 'language', 'time_zone'] as const).every((k) => next[k] === meta[k]);
  return same ? null : toJson(next);
}

/** The details to store for a visitor created now. */
export function newVisitorMeta(client: VisitorClient): Record<string, unknown> {
  return fromJson<Record<string, unknown>>(mergeVisitorMeta(null, client), {});
}
