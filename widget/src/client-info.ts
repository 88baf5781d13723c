/**
 * What the widget tells the server about its visitor when it connects: the page, the browser's
 * language and time zone — so agents can tell visitors apart and answer at a sensible hour. Only
 * values the server accepts are sent (the same rules as shared/agent-day.ts, kept here so zod
 * stays out of the bundle).
 */
export interface ClientInfo {
  page_url?: string;
  language?: string;
  time_zone?: string;
}

const LANGUAGE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

export function clientInfo(win: Window): ClientInfo {
  const info: ClientInfo = {};
  const href = win.location.href;
  if (/^https?:\/\//i.test(href)) info.page_url = href.slice(0, 2048);
  const language = win.navigator.language;
  if (language && language.length <= 35 && LANGUAGE.test(language)) info.language = language;
  try {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone.length <= 64 && TIME_ZONE.test(zone)) info.time_zone = zone;
  } catch {
    // No Intl time zones: the server simply does not learn it.
  }
  return info;
}
