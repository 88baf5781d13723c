/**
 * A web visitor's details as agents see them, from the meta their widget reported
 * (conversations/visitor-details.ts keeps that meta).
 */
import { fromJson } from '../db/json.ts';

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** `page_url`, a readable `browser`, `language` and `time_zone` from a contact's meta (null when unknown). */
export function visitorDetails(stored: string | null): { page_url: string | null; browser: string | null; language: string | null; time_zone: string | null } {
  const meta = fromJson<Record<string, unknown>>(stored, {});
  return {
    page_url: text(meta.page_url),
    browser: typeof meta.user_agent === 'string' ? describeUserAgent(meta.user_agent) : null,
    language: text(meta.language),
    time_zone: text(meta.time_zone),
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
