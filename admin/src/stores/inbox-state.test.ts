import { describe, expect, it } from 'vitest';
import { conversation } from '../test-fixtures.ts';
import { DEFAULT_FILTERS, appendPage, matchesFilters, mergeConversation, sortByActivity, stepIndex } from './inbox-state.ts';

const at = (iso: string) => ({ last_message_at: iso });

describe('inbox list rules', () => {
  it('filters by status, channel and assignee', () => {
    const c = conversation({ channel: 'whatsapp', assignee_id: 'me' });
    expect(matchesFilters(c, DEFAULT_FILTERS, 'me')).toBe(true);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, status: 'resolved' }, 'me')).toBe(false);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, status: 'all' }, 'me')).toBe(true);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, channel: 'web' }, 'me')).toBe(false);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, assignee: 'me' }, 'me')).toBe(true);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, assignee: 'me' }, 'other')).toBe(false);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, assignee: 'unassigned' }, 'me')).toBe(false);
  });

  it('sorts by latest activity, ties by id descending', () => {
    const list = [
      conversation({ id: 'a', ...at('2026-11-27T10:00:00Z') }),
      conversation({ id: 'c', ...at('2026-11-27T12:00:00Z') }),
      conversation({ id: 'b', ...at('2026-11-27T12:00:00Z') }),
    ];
    expect(sortByActivity(list).map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('a live conversation moves to the top, joins the list when it matches, and leaves when it stops matching', () => {
    const list = [conversation({ id: 'a', ...at('2026-11-27T10:00:00Z') }), conversation({ id: 'b', ...at('2026-11-27T09:00:00Z') })];
    const bumped = mergeConversation(list, conversation({ id: 'b', ...at('2026-11-27T11:00:00Z'), unread: 2 }), DEFAULT_FILTERS, 'me');
    expect(bumped.map((c) => [c.id, c.unread])).toEqual([
      ['b', 2],
      ['a', 0],
    ]);
    const added = mergeConversation(bumped, conversation({ id: 'n', ...at('2026-11-27T13:00:00Z') }), DEFAULT_FILTERS, 'me');
    expect(added.map((c) => c.id)).toEqual(['n', 'b', 'a']);
    const resolved = mergeConversation(added, conversation({ id: 'b', status: 'resolved' }), DEFAULT_FILTERS, 'me');
    expect(resolved.map((c) => c.id)).toEqual(['n', 'a']);
  });

  it('drops even the open conversation once it stops matching (resolved under Open), and never adds to a search result', () => {
    const list = [conversation({ id: 'a' })];
    expect(mergeConversation(list, conversation({ id: 'a', status: 'resolved' }), DEFAULT_FILTERS, 'me')).toEqual([]);
    expect(mergeConversation(list, conversation({ id: 'a', status: 'resolved' }), { ...DEFAULT_FILTERS, status: 'all' }, 'me').map((c) => c.status)).toEqual([
      'resolved',
    ]);
    expect(mergeConversation(list, conversation({ id: 'z' }), { ...DEFAULT_FILTERS, q: 'ana' }, 'me')).toBe(list);
    expect(mergeConversation(list, conversation({ id: 'z', channel: 'whatsapp' }), { ...DEFAULT_FILTERS, channel: 'web' }, 'me')).toBe(list);
  });

  it('appends a page without duplicates', () => {
    const list = [conversation({ id: 'a', unread: 3 }), conversation({ id: 'b' })];
    expect(appendPage(list, [conversation({ id: 'b' }), conversation({ id: 'c', unread: 1 })]).map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('keyboard steps stay inside the list', () => {
    expect(stepIndex(-1, 1, 3)).toBe(0);
    expect(stepIndex(-1, -1, 3)).toBe(2);
    expect(stepIndex(0, -1, 3)).toBe(0);
    expect(stepIndex(2, 1, 3)).toBe(2);
    expect(stepIndex(1, 1, 3)).toBe(2);
    expect(stepIndex(0, 1, 0)).toBe(-1);
  });
});
