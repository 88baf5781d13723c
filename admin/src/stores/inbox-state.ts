/**
 * Pure rules of the conversation list: which conversations a filter shows, newest activity first,
 * and how live updates merge in (so a list stays right without reloading).
 */
import type { ConversationFilters, ConversationJson } from '../api/types.ts';

export const DEFAULT_FILTERS: ConversationFilters = { status: 'open', channel: 'all', assignee: 'all', q: '' };

/** Whether a conversation belongs in a list with these filters (the search text is the server's job). */
export function matchesFilters(c: ConversationJson, f: ConversationFilters, meId: string | null): boolean {
  if (f.status !== 'all' && c.status !== f.status) return false;
  if (f.channel !== 'all' && c.channel !== f.channel) return false;
  if (f.assignee === 'me' && c.assignee_id !== meId) return false;
  if (f.assignee === 'unassigned' && c.assignee_id !== null) return false;
  return true;
}

function activity(c: ConversationJson): number {
  return c.last_message_at ? Date.parse(c.last_message_at) : Date.parse(c.created_at);
}

/** Latest activity first; ties by id descending (ids are time-ordered), like the server's order. */
export function sortByActivity(list: ConversationJson[]): ConversationJson[] {
  return [...list].sort((a, b) => activity(b) - activity(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * Merge a live conversation into the list. New conversations are added only when they match the
 * filters and no search is active (a search result set is the server's answer); ones that no
 * longer match leave it.
 */
export function mergeConversation(list: ConversationJson[], c: ConversationJson, f: ConversationFilters, meId: string | null): ConversationJson[] {
  const i = list.findIndex((x) => x.id === c.id);
  const matches = matchesFilters(c, f, meId);
  if (i === -1) {
    if (!matches || f.q.trim()) return list;
    return sortByActivity([...list, c]);
  }
  // One that no longer matches leaves the list (resolved under Open, reassigned under Mine), even
  // the open one: its thread stays on screen, and the list says what the filter says.
  if (!matches) return list.filter((x) => x.id !== c.id);
  const next = [...list];
  next[i] = c;
  return sortByActivity(next);
}

/** Append a page, skipping conversations already shown (live updates may have added them). */
export function appendPage(list: ConversationJson[], page: ConversationJson[]): ConversationJson[] {
  const seen = new Set(list.map((c) => c.id));
  return [...list, ...page.filter((c) => !seen.has(c.id))];
}

/** Keyboard navigation: the next index in a list of `length`, clamped. */
export function stepIndex(current: number, delta: number, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return delta > 0 ? 0 : length - 1;
  return Math.max(0, Math.min(length - 1, current + delta));
}
