/**
 * The line under the title: "Online now" while an agent is online, else when to expect an answer —
 * "Back Monday 9:00" outside business hours (in the visitor's own clock and language), or
 * "We reply in a few hours".
 */
import type { WidgetConfigJson } from '@connectdesk/shared';
import { fill, type Dict } from '../i18n/index.ts';
import type { Lang } from '../contract.ts';

export type Availability = { kind: 'online' } | { kind: 'later' } | { kind: 'back'; at: Date };

/** `agentsOnline`: the socket's latest `presence` (null before the first one: the config's). */
export function availability(config: Pick<WidgetConfigJson, 'agents_online' | 'next_open_at'>, agentsOnline: boolean | null, now: Date): Availability {
  if (agentsOnline ?? config.agents_online) return { kind: 'online' };
  const at = config.next_open_at ? new Date(config.next_open_at) : null;
  return at && at.getTime() > now.getTime() ? { kind: 'back', at } : { kind: 'later' };
}

export function availabilityText(a: Availability, dict: Dict, lang: Lang, now: Date): string {
  if (a.kind === 'online') return dict.online;
  if (a.kind === 'later') return dict.away;
  const sameDay = a.at.toDateString() === now.toDateString();
  const when = new Intl.DateTimeFormat(lang, sameDay ? { hour: 'numeric', minute: '2-digit' } : { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(
    a.at,
  );
  return fill(dict.backAt, { when });
}
