/**
 * What tells web visitors apart at a glance besides their name: the page they are on, their
 * browser's language and the time where they are. Plain strings (rendered as text).
 */
import type { ConversationJson } from '../api/types.ts';

type Contact = ConversationJson['contact'];

/** "shop.example/pricing" for an http(s) page, null otherwise. */
export function shortPage(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.host + (u.pathname === '/' ? '' : u.pathname);
  } catch {
    return null;
  }
}

/** "Portuguese (Brazil)" for "pt-BR" (the tag itself when the browser cannot name it). */
export function languageName(tag: string, displayLocale = 'en'): string {
  try {
    return new Intl.DisplayNames([displayLocale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "15:42" in that zone now, or null for a zone this browser does not know. */
export function timeThere(timeZone: string, now = new Date()): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(now);
  } catch {
    return null;
  }
}

/** "Sao Paulo" from "America/Sao_Paulo". */
export function placeOf(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

/** The short facts for a list row: page, language, local time — whichever are known. */
export function visitorFacts(c: Contact, now = new Date()): string[] {
  const facts: string[] = [];
  const page = shortPage(c.page_url);
  if (page) facts.push(page);
  if (c.language) facts.push(c.language);
  if (c.time_zone) {
    const t = timeThere(c.time_zone, now);
    if (t) facts.push(`${t} in ${placeOf(c.time_zone)}`);
  }
  return facts;
}
