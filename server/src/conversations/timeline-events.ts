/**
 * Timeline events: who assigned, unassigned, resolved or reopened a conversation. Each is stored
 * as an agent-only system message (`type: "event"`, `sender: "system"`, `is_note: true`) so it is
 * in the thread after a reload, never reaches the visitor or WhatsApp, and arrives live as
 * `message:new`. `content` carries the structured event (`TimelineEventContent`).
 */
import type { TimelineEventContent, TimelinePerson } from '@connectdesk/shared';
import type { ConversationRow } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import type { User, UsersRepo } from '../db/repos/users-repo.ts';

const TIMELINE_EVENT_TYPE = 'event';

/** The readable line shown in the thread (and kept as the message's text). */
export function describeEvent(e: TimelineEventContent): string {
  const who = e.by?.name ?? 'Someone';
  switch (e.event) {
    case 'assigned':
      return e.by && e.assignee && e.by.id === e.assignee.id
        ? `${who} took this conversation`
        : `${who} assigned this conversation to ${e.assignee?.name ?? 'an agent'}`;
    case 'unassigned':
      return `${who} unassigned this conversation`;
    case 'resolved':
      return `${who} resolved this conversation`;
    case 'reopened':
      return `${who} reopened this conversation`;
  }
}

/** What changed between two versions of a conversation, in the order it is told. */
export function eventsBetween(
  before: Pick<ConversationRow, 'status' | 'assignee_id'>,
  after: Pick<ConversationRow, 'status' | 'assignee_id'>,
  by: TimelinePerson | null,
  assignee: TimelinePerson | null,
): TimelineEventContent[] {
  const out: TimelineEventContent[] = [];
  if (before.assignee_id !== after.assignee_id)
    out.push({ event: after.assignee_id ? 'assigned' : 'unassigned', by, assignee: after.assignee_id ? assignee : null });
  if (before.status !== after.status) out.push({ event: after.status === 'resolved' ? 'resolved' : 'reopened', by, assignee: null });
  return out;
}

export interface TimelineEventsDeps {
  messages: Pick<MessagesRepo, 'insert'>;
  users: Pick<UsersRepo, 'byId'>;
  now?: () => number;
}

export class TimelineEvents {
  constructor(private readonly deps: TimelineEventsDeps) {}

  /** Stores one message per change (none when nothing changed) and returns them, oldest first. */
  async record(before: ConversationRow, after: ConversationRow, actor: User | null): Promise<MessageRow[]> {
    if (before.status === after.status && before.assignee_id === after.assignee_id) return [];
    const assigneeUser = after.assignee_id ? await this.deps.users.byId(after.assignee_id) : null;
    const by = actor ? { id: actor.id, name: actor.name } : null;
    const assignee = assigneeUser ? { id: assigneeUser.id, name: assigneeUser.name } : null;
    const at = this.deps.now?.() ?? Date.now();
    const rows: MessageRow[] = [];
    for (const [i, event] of eventsBetween(before, after, by, assignee).entries()) {
      rows.push(
        await this.deps.messages.insert({
          conversationId: after.id,
          channel: after.channel,
          direction: 'outbound',
          sender: 'system',
          authorId: actor?.id ?? null,
          type: TIMELINE_EVENT_TYPE,
          body: describeEvent(event),
          content: event,
          status: 'sent',
          isNote: true,
          createdAt: at + i, // keeps "assigned" before "resolved" when one request did both
        }),
      );
    }
    return rows;
  }
}
