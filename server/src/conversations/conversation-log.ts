/**
 * The one way a message enters a conversation, whoever wrote it (visitor, customer, agent, owner,
 * ConnectDesk itself): the conversation it belongs to (created here and nowhere else), the message
 * stored together with what it changes on the conversation — preview, unread count, the waiting
 * stretch, the 24-hour window — and, once committed, the realtime notice to agents and to the
 * visitor's widget.
 */
import type { Knex } from 'knex';
import type { Channel, ConversationJson, MessageJson } from '@connectdesk/shared';
import type { ConversationRow, ConversationsRepo, ConversationWithContact } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo, NewMessage } from '../db/repos/messages-repo.ts';
import { together } from '../db/together.ts';
import { conversationJson } from '../presentation/conversation-json.ts';
import { messageErrorJson, messagesJson } from '../presentation/message-json.ts';
import type { ChatNotifier } from './notifier.ts';

export interface ConversationLogDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  notifier: ChatNotifier;
  /** Where stored messages link their media (the admin route). */
  mediaUrl: (mediaId: string) => string | null;
  /** The message as its visitor receives it (visitor links to its file). */
  forVisitor: (message: MessageJson) => MessageJson;
}

export interface ConversationTarget {
  contactId: string;
  channel: Channel;
  /** The page's site label (web chats). */
  site?: string | null;
  /** The business number a WhatsApp conversation is held on. */
  whatsappNumberId?: string | null;
  at: number;
}

/** What a stored message does to its conversation, beyond moving its activity and preview. */
export interface ConversationChange {
  /** The preview shown in the inbox (default: the message's body). */
  preview?: string;
  /**
   * The message is someone waiting for us: it counts as unread, reopens the conversation and
   * starts a waiting stretch. Default: inbound messages do, ours do not.
   */
  unread?: boolean;
  /** Meta's timestamp of a customer's own message: moves the 24-hour window. */
  customerTimestamp?: number | null;
  /** When not unread: whether it ends a waiting stretch (default: our own messages do). */
  answered?: boolean;
}

export class ConversationLog {
  private readonly conversations: ConversationsRepo;
  private readonly messages: MessagesRepo;
  private readonly notifier: ChatNotifier;
  private readonly mediaUrl: (mediaId: string) => string | null;
  private readonly forVisitor: (message: MessageJson) => MessageJson;

  constructor({ conversations, messages, notifier, mediaUrl, forVisitor }: ConversationLogDeps) {
    this.conversations = conversations;
    this.messages = messages;
    this.notifier = notifier;
    this.mediaUrl = mediaUrl;
    this.forVisitor = forVisitor;
  }

  /** The contact's conversation on this channel — the latest one, open or not — created on first contact. */
  async conversationFor(target: ConversationTarget, trx: Knex.Transaction): Promise<ConversationRow> {
    return (
      (await this.conversations.latestFor(target.contactId, target.channel, trx)) ??
      (await this.conversations.create(
        { channel: target.channel, contactId: target.contactId, site: target.site ?? null, whatsappNumberId: target.whatsappNumberId ?? null, at: target.at },
        trx,
      ))
    );
  }

  /** Store a message and touch its conversation, in the caller's transaction. Notes change nothing on the conversation. */
  async append(message: NewMessage, trx: Knex.Transaction, change: ConversationChange = {}): Promise<MessageRow> {
    const row = await this.messages.insert(message, trx);
    await this.touch(message, row, trx, change);
    return row;
  }

  /** Like append, for a message with Meta's id: null (and nothing changed) when that wamid is stored already. */
  async appendOnce(message: NewMessage & { wamid: string }, trx: Knex.Transaction, change: ConversationChange = {}): Promise<MessageRow | null> {
    const row = await this.messages.insertOnce(message, trx);
    if (row) await this.touch(message, row, trx, change);
    return row;
  }

  /**
   * A visitor's message, stored in the contact's conversation (created on first contact) unless
   * that conversation holds its client id already (a retry after a lost ack: `row` null, nothing
   * changed); the conversation touched, and `alongside` — further writes and reads of the same
   * transaction that need the stored row but not the touch — sent to the connection together with
   * the touch (db/together.ts). Returns the conversation as touched. Where it can, the insert finds
   * the conversation itself; `newContact`: the contact was created in this transaction, so it has none.
   */
  async appendFromVisitor<T>(
    message: Omit<NewMessage, 'conversationId'>,
    target: ConversationTarget,
    trx: Knex.Transaction,
    alongside: (row: MessageRow) => Promise<T>,
    newContact = false,
  ): Promise<{ row: MessageRow; conversation: ConversationRow; alongside: T } | { row: null; conversation: ConversationRow }> {
    let row = newContact ? null : await this.messages.insertIntoLatest(message, target.contactId, trx);
    if (!row) {
      // No conversation yet, or its client_id is taken: the two statements tell which.
      const conversation = await this.conversationFor(target, trx);
      const draft = { ...message, conversationId: conversation.id };
      row = draft.clientId ? await this.messages.insertUnlessClientId({ ...draft, clientId: draft.clientId }, trx) : await this.messages.insert(draft, trx);
      if (!row) return { row: null, conversation };
    }
    const [conversation, extra] = await together(
      trx,
      () => this.conversations.touchAndRead(row.conversation_id, this.touchInput(message, row, {}), trx),
      () => alongside(row),
    );
    if (!conversation) throw new Error(`conversation ${row.conversation_id} is gone`);
    return { row, conversation, alongside: extra };
  }

  private async touch(message: NewMessage, row: MessageRow, trx: Knex.Transaction, change: ConversationChange): Promise<void> {
    if (message.isNote) return;
    await this.conversations.touch(message.conversationId, this.touchInput(message, row, change), trx);
  }

  private touchInput(message: Omit<NewMessage, 'conversationId'>, row: MessageRow, change: ConversationChange) {
    const inbound = message.direction === 'inbound';
    return {
      at: message.createdAt ?? Date.now(),
      preview: change.preview ?? row.body,
      inbound: change.unread ?? inbound,
      customerTimestamp: change.customerTimestamp ?? null,
      answered: change.answered ?? !inbound,
    };
  }

  /** The message as agents receive it. */
  async json(row: MessageRow): Promise<MessageJson> {
    const [json] = await messagesJson(this.messages, [row], this.mediaUrl);
    return json!;
  }

  /**
   * The realtime notice for a new (or changed: reaction, edit, media ready) message, after its
   * commit: agents get `message:new` with the conversation; a web chat's visitor gets it too, unless
   * it is a note. `known`: the conversation with its contact as the message's own transaction left
   * them, when the caller has it (no read).
   */
  async announce(row: MessageRow, known?: ConversationWithContact | null): Promise<{ message: MessageJson; conversation: ConversationJson | null }> {
    const message = await this.json(row);
    const conversation = known ? conversationJson(known) : await this.conversationJson(row.conversation_id);
    if (conversation) {
      this.notifier.toAgents('message:new', { message, conversation });
      if (conversation.channel === 'web' && !message.is_note)
        this.notifier.toVisitor(conversation.contact.id, 'message:new', { message: this.forVisitor(message) });
    }
    return { message, conversation };
  }

  /**
   * The notices for many new messages at once (a batch of webhooks applied together), in order:
   * two queries for all their relations and one for their conversations, which agents receive as
   * they are after the whole batch — none for those in `shown` (the caller's, as committed).
   */
  async announceMany(rows: MessageRow[], shown?: Map<string, ConversationWithContact>): Promise<void> {
    if (!rows.length) return;
    const messages = await messagesJson(this.messages, rows, this.mediaUrl);
    const now = new Date();
    const conversations = new Map<string, ConversationJson>();
    const ids = [...new Set(rows.map((r) => r.conversation_id))];
    // Conversations the caller has as they were committed need no read.
    const unread = shown ? ids.filter((id) => !shown.has(id)) : ids;
    for (const [id, row] of [...(shown ?? []), ...(unread.length ? await this.conversations.withContactMany(unread) : [])])
      conversations.set(id, conversationJson(row, now));
    for (const message of messages) {
      const conversation = conversations.get(message.conversation_id);
      if (!conversation) continue;
      this.notifier.toAgents('message:new', { message, conversation });
      if (conversation.channel === 'web' && !message.is_note)
        this.notifier.toVisitor(conversation.contact.id, 'message:new', { message: this.forVisitor(message) });
    }
  }

  async announceById(id: string): Promise<void> {
    const row = await this.messages.byId(id);
    if (row) await this.announce(row);
  }

  /** A message's status changed: agents, and the visitor of a web chat. */
  async announceStatus(row: MessageRow): Promise<void> {
    // The notice is the status and its error, both the row's own: no file, quote or author to look up.
    this.notifier.toAgents('message:status', { id: row.id, status: row.status, error: messageErrorJson(row) });
    const conversation = await this.conversations.byId(row.conversation_id);
    if (conversation?.channel === 'web') this.notifier.toVisitor(conversation.contact_id, 'message:status', { id: row.id, status: row.status });
  }

  async announceStatusById(id: string): Promise<void> {
    const row = await this.messages.byId(id);
    if (row) await this.announceStatus(row);
  }

  /** A conversation changed without a new message (its window closed, it was read): `conversation:update`. */
  async announceConversation(id: string): Promise<ConversationJson | null> {
    const conversation = await this.conversationJson(id);
    if (conversation) this.notifier.toAgents('conversation:update', { conversation });
    return conversation;
  }

  /** The conversation as agents receive it (null: no such conversation). */
  async conversationJson(id: string): Promise<ConversationJson | null> {
    const row = await this.conversations.withContact(id);
    return row ? conversationJson(row) : null;
  }
}
