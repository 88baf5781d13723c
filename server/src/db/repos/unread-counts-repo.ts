/**
 * The numbers behind every agent's unread badge: open conversations with unread messages, grouped
 * by assignee (null = unassigned). One grouped query serves every agent at once.
 */
import type { Knex } from 'knex';
import type { UnreadCountsJson } from '@connectdesk/shared';

interface UnreadGroup {
  conversations: number;
  messages: number;
}

/** Unread by assignee id; the `null` key is the unassigned conversations. */
export type UnreadByAssignee = Map<string | null, UnreadGroup>;

export class UnreadCountsRepo {
  constructor(private readonly db: Knex) {}

  async byAssignee(): Promise<UnreadByAssignee> {
    // Literal conditions, matching the partial index conversations_unread_idx (a bound parameter
    // would keep SQLite from using it).
    const rows = (await this.db('conversations')
      .whereRaw("status = 'open' AND unread_count > 0")
      .groupBy('assignee_id')
      .select('assignee_id')
      .count({ conversations: '*' })
      .sum({ messages: 'unread_count' })) as { assignee_id: string | null; conversations: number | string; messages: number | string }[];
    return new Map(rows.map((r) => [r.assignee_id, { conversations: Number(r.conversations), messages: Number(r.messages) }]));
  }
}

/** One agent's counts from the grouped numbers: theirs plus the unassigned ones. */
export function countsFor(groups: UnreadByAssignee, userId: string): UnreadCountsJson {
  const mine = groups.get(userId) ?? { conversations: 0, messages: 0 };
  const unassigned = groups.get(null) ?? { conversations: 0, messages: 0 };
  return {
    conversations: mine.conversations + unassigned.conversations,
    messages: mine.messages + unassigned.messages,
    mine: mine.conversations,
    unassigned: unassigned.conversations,
  };
}
