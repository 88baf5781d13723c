/**
 * Reactions from our side of the chat: an agent reacting to a message of a conversation (a web
 * chat stores it and shows it to the visitor; a WhatsApp chat also sends Meta's reaction to the
 * message's wamid) and a web visitor reacting to an agent's message. A reaction lives on its
 * target message's `reactions` (one per reactor: `agent`, `visitor`, a customer's WhatsApp id,
 * `owner`); an empty emoji takes it back. Every change is announced like an incoming WhatsApp
 * reaction: `message:new` with the changed message, to agents and to the web visitor.
 */
import type { Knex } from 'knex';
import type { MessageJson } from '@connectdesk/shared';
import type { TxRunner } from '../db/group-commit.ts';
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import type { ConversationRow, ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import { AppError } from '../errors.ts';
import type { ConversationLog } from './conversation-log.ts';
import type { MessageChanges } from './message-changes.ts';

/** Who a reaction is from, as stored in `reactions[].from`. */
const AGENT_REACTOR = 'agent';
const VISITOR_REACTOR = 'visitor';

export interface ReactionInput {
  message_id: string;
  emoji: string;
}

/** A reaction for WhatsApp, checked before the transaction and queued inside it. */
export interface PreparedReaction {
  queue(trx: Knex.Transaction): Promise<void>;
  /** Call after the commit: wakes the outbox. */
  queued(): void;
}

/** The port to WhatsApp (implemented in whatsapp/reaction-outbox.ts). */
export interface ReactionSender {
  /**
   * Checks that a reaction to this wamid can go to the conversation's customer now (a number is
   * configured, the contact is reachable, the 24-hour window is open) and returns how to queue it.
   */
  prepare(input: { conversation: ConversationRow; contact: ContactRow; wamid: string; emoji: string; requestId: string | null }): Promise<PreparedReaction>;
}

export interface ReactionsDeps {
  tx: TxRunner;
  messages: MessagesRepo;
  conversations: ConversationsRepo;
  changes: MessageChanges;
  log: ConversationLog;
  /** Absent when WhatsApp is not wired (reactions in WhatsApp chats are then refused). */
  whatsapp: ReactionSender | null;
  /** The message as its visitor receives it (visitor links to its file). */
  forVisitor: (message: MessageJson) => MessageJson;
}

const refused = (message: string) => new AppError('validation_failed', message);

export class Reactions {
  constructor(private readonly deps: ReactionsDeps) {}

  /** `POST /admin/api/conversations/:id/messages` with `message_type: "reaction"`: the reacted message as it now is. */
  async fromAgent(conversation: ConversationRow, contact: ContactRow, input: ReactionInput, requestId: string | null = null): Promise<MessageJson> {
    const target = await this.target(conversation, input.message_id);
    let prepared: PreparedReaction | null = null;
    if (conversation.channel === 'whatsapp') {
      if (!this.deps.whatsapp) throw new AppError('unavailable', 'WhatsApp is not configured');
      if (!target.wamid)
        throw new AppError('conflict', 'this message has no WhatsApp id yet (it was not sent, or is still queued), so WhatsApp cannot show a reaction to it');
      prepared = await this.deps.whatsapp.prepare({ conversation, contact, wamid: target.wamid, emoji: input.emoji, requestId });
    }
    const changed = await this.deps.tx(async (trx) => {
      // Read again inside the transaction: a customer's reaction may have landed since.
      const current = (await this.deps.messages.byId(target.id, trx)) ?? target;
      const row = await this.deps.changes.setReaction(current, AGENT_REACTOR, input.emoji, trx);
      await prepared?.queue(trx);
      return row;
    });
    prepared?.queued();
    return (await this.deps.log.announce(changed)).message;
  }

  /** The widget's `reaction`: only to an agent's message of the visitor's own conversation. */
  async fromVisitor(contact: ContactRow, input: ReactionInput): Promise<MessageJson> {
    const conversation = await this.deps.conversations.latestFor(contact.id, 'web');
    const target = conversation ? await this.deps.messages.quotable(conversation.id, input.message_id) : null;
    if (!target || target.deleted_at !== null) throw refused('message_id must be a message of your conversation');
    if (target.sender !== 'agent') throw refused('you can react to the replies you received, not to your own messages');
    const changed = await this.deps.changes.reactById(target.id, VISITOR_REACTOR, input.emoji);
    return this.deps.forVisitor((await this.deps.log.announce(changed ?? target)).message);
  }

  /** A message of this conversation someone can see and react to (not a note, event, reaction or deleted message). */
  private async target(conversation: ConversationRow, id: string): Promise<MessageRow> {
    const target = await this.deps.messages.quotable(conversation.id, id);
    if (!target) throw refused('message_id must be a message of this conversation');
    if (target.type === 'reaction' || target.type === 'event' || target.deleted_at !== null)
      throw refused('this message cannot take a reaction (it is a reaction itself, or was deleted)');
    return target;
  }
}
