/**
 * The chat domain: visitors writing from the widget or HTTP, agents answering, conversations
 * listed for the inbox. Stores first, then pushes to realtime, then hands WhatsApp work to the
 * bridge — so an acknowledged message is always on disk.
 */
import type { Knex } from 'knex';
import type { AdminSendMessage, ConversationJson, MessageJson, VisitorMessageBody } from '@connectdesk/shared';
import { normalizeWaId } from '@connectdesk/shared';
import { randomToken, sha256Hex } from '../auth/tokens.ts';
import type { TxRunner } from '../db/group-commit.ts';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationFilter, ConversationRow, ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import type { User } from '../db/repos/users-repo.ts';
import { AppError, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import type { WhatsAppBridge } from './whatsapp-bridge.ts';
import { mergeVisitorMeta, newVisitorMeta } from './visitor-details.ts';

export interface ChatServiceDeps {
  db: Knex;
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  hub: RealtimeHub;
  whatsapp: WhatsAppBridge;
  logger: Logger;
  mediaUrl: (mediaId: string) => string | null;
  /** The message as its visitor receives it (visitor links to its file). */
  forVisitor: (message: MessageJson) => MessageJson;
  siteName: string;
}

export interface VisitorMessageResult {
  conversation: ConversationRow;
  contact: ContactRow;
  message: MessageJson;
  visitorToken: string;
  created: boolean;
}

export class ChatService {
  constructor(private readonly d: ChatServiceDeps) {}

  /** The visitor behind a token, or null. Tokens are stored hashed. */
  async visitorByToken(token: string | null | undefined): Promise<ContactRow | null> {
    if (!token || token.length < 16 || token.length > 128) return null;
    return this.d.contacts.byVisitorTokenHash(sha256Hex(token));
  }

  /**
   * A token for a brand-new visitor (the widget's first connection). Nothing is stored until the
   * visitor writes or identifies, so a flood of connections costs no database rows.
   */
  issueVisitorToken(): string {
    return randomToken(24);
  }

  /** The contact for a token we issued, created on first use. */
  async ensureVisitor(token: string, meta: Record<string, unknown> = {}): Promise<ContactRow> {
    const hash = sha256Hex(token);
    const existing = await this.d.contacts.byVisitorTokenHash(hash);
    if (existing) return existing;
    try {
      return await this.d.contacts.createVisitor({ visitorTokenHash: hash, meta });
    } catch (err) {
      // Another tab sharing this token created the visitor a moment ago (unique token hash).
      const raced = await this.d.contacts.byVisitorTokenHash(hash);
      if (raced) return raced;
      throw err;
    }
  }

  async identifyVisitor(contact: ContactRow, input: { name?: string | null; email?: string | null; phone?: string | null; whatsapp_consent?: boolean }): Promise<void> {
    const patch: Partial<ContactRow> = {};
    if (input.name) patch.name = input.name.trim().slice(0, 100);
    if (input.email) patch.email = input.email.trim().slice(0, 254);
    if (input.phone) {
      const waId = normalizeWaId(input.phone);
      if (!waId) throw new AppError('validation_failed', 'phone must be a number in international format, like +44 7700 900123');
      patch.phone = `+${waId}`;
      if (input.whatsapp_consent) patch.whatsapp_consent = true;
    }
    if (Object.keys(patch).length) await this.d.contacts.update(contact.id, patch);
  }

  /**
   * Flow 1. Idempotent by client_id: the same client_id returns the stored message again, so a
   * widget that retries after a lost ack never duplicates.
   */
  async receiveVisitorMessage(
    body: VisitorMessageBody & { site?: string | null },
    opts: { known?: ContactRow | null; issuedToken?: string; userAgent?: string | null } = {},
  ): Promise<VisitorMessageResult> {
    const client = { pageUrl: body.page_url, userAgent: opts.userAgent };
    let visitorToken = opts.issuedToken ?? body.visitor_token ?? null;
    let contact = opts.known ?? (await this.visitorByToken(visitorToken));
    if (!contact && body.visitor_token && !opts.issuedToken) throw new AppError('unauthorized', 'unknown visitor_token; omit it to start a new conversation');
    if (body.phone && !normalizeWaId(body.phone)) {
      throw new AppError('validation_failed', 'phone must be a number in international format, like +44 7700 900123');
    }
    // The tabs of a new visitor share the token issued to the first one and may write at once.
    if (!contact && opts.issuedToken) contact = await this.ensureVisitor(opts.issuedToken, newVisitorMeta(client));
    const text = body.text.trim();
    const now = Date.now();
    const forward = await this.d.whatsapp.prepareForward({ name: body.name || contact?.name || null, site: body.site ?? null, text });
    const result = await this.d.tx(async (trx) => {
      if (!contact) {
        visitorToken ??= randomToken(24);
        contact = await this.d.contacts.createVisitor(
          { visitorTokenHash: sha256Hex(visitorToken), meta: newVisitorMeta(client) },
          trx,
        );
      }
      await this.d.contacts.lockForUpdate(contact.id, trx);
      const patch: Partial<ContactRow> = {};
      if (body.name && body.name !== contact.name) patch.name = body.name;
      if (body.email && body.email !== contact.email) patch.email = body.email;
      if (body.phone) {
        patch.phone = `+${normalizeWaId(body.phone)}`;
        if (body.whatsapp_consent) patch.whatsapp_consent = true;
      }
      const meta = mergeVisitorMeta(contact.meta, client);
      if (meta) patch.meta = meta;
      if (Object.keys(patch).length) {
        await this.d.contacts.update(contact.id, patch, trx);
        contact = { ...contact, ...patch };
      }
      let conversation = await this.d.conversations.latestFor(contact.id, 'web', trx);
      if (!conversation) conversation = await this.d.conversations.create({ channel: 'web', contactId: contact.id, site: body.site ?? null, at: now }, trx);
      if (body.client_id) {
        const existing = await this.d.messages.byClientId(conversation.id, body.client_id, trx);
        if (existing) return { conversation, message: existing, created: false };
      }
      const message = await this.d.messages.insert(
        {
          conversationId: conversation.id,
          direction: 'inbound',
          sender: 'visitor',
          type: 'text',
          body: text,
          status: 'received',
          clientId: body.client_id ?? null,
          createdAt: now,
        },
        trx,
      );
      await this.d.conversations.touch(conversation.id, { at: now, preview: text, inbound: true }, trx);
      await forward?.queue(trx, { messageId: message.id, conversationId: conversation.id });
      return { conversation, message, created: true };
    });
    const [message] = await this.d.messages.toJson([result.message], this.d.mediaUrl);
    const c = contact as unknown as ContactRow;
    if (result.created) {
      await this.announce(result.conversation.id, message!);
      this.d.hub.toVisitor(c.id, 'message:new', { message: this.d.forVisitor(message!) });
      forward?.queued();
    }
    return { conversation: result.conversation, contact: c, message: message!, visitorToken: visitorToken!, created: result.created };
  }

  /** Push a new message and the updated conversation to every agent. */
  async announce(conversationId: string, message: MessageJson): Promise<ConversationJson | null> {
    const conversation = await this.d.conversations.json(conversationId);
    if (conversation) this.d.hub.toAgents('message:new', { message, conversation });
    return conversation;
  }

  /** The widget's `message:send`: the socket already knows who the visitor is. */
  async receiveVisitorMessageForContact(
    contact: ContactRow | null,
    p: { text: string; client_id: string; name?: string; email?: string; phone?: string; whatsapp_consent?: boolean; page_url?: string },
    issuedToken: string | null,
    userAgent: string | null = null,
  ): Promise<VisitorMessageResult> {
    return this.receiveVisitorMessage(
      { text: p.text, client_id: p.client_id, name: p.name || null, email: p.email || null, phone: p.phone || null, whatsapp_consent: p.whatsapp_consent, page_url: p.page_url ?? null },
      { known: contact, issuedToken: issuedToken ?? undefined, userAgent },
    );
  }

  async visitorById(id: string): Promise<ContactRow | null> {
    return this.d.contacts.byId(id);
  }

  /** Tell agents the visitor is typing (in their latest web conversation). */
  async visitorTyping(contact: ContactRow, on: boolean): Promise<void> {
    const conversation = await this.d.conversations.latestFor(contact.id, 'web');
    if (conversation) this.d.hub.toAgents('typing', { conversation_id: conversation.id, on });
  }

  /** An agent is typing: tell the visitor of a web conversation. */
  async agentTyping(conversationId: string, on: boolean): Promise<void> {
    const conversation = await this.d.conversations.byId(conversationId);
    if (conversation?.channel === 'web') this.d.hub.toVisitor(conversation.contact_id, 'typing', { on });
  }

  async visitorHistory(contact: ContactRow, limit = 100): Promise<MessageJson[]> {
    const conversation = await this.d.conversations.latestFor(contact.id, 'web');
    if (!conversation) return [];
    return (await this.d.messages.toJson(await this.d.messages.latest(conversation.id, limit), this.d.mediaUrl)).map(this.d.forVisitor);
  }

  /** Visitor read agent messages up to (and including) this message id. */
  async visitorRead(contact: ContactRow, upTo: string): Promise<void> {
    const conversation = await this.d.conversations.latestFor(contact.id, 'web');
    if (!conversation) return;
    const target = await this.d.messages.byId(upTo);
    if (!target || target.conversation_id !== conversation.id) return;
    const rows = await this.d.db<MessageRow>('messages')
      .where({ conversation_id: conversation.id, direction: 'outbound', is_note: false })
      .whereIn('status', ['sent', 'delivered'])
      .andWhere('created_at', '<=', target.created_at)
      .select('id');
    for (const r of rows) {
      if (await this.d.messages.applyStatus(r.id, 'read')) {
        this.d.hub.toAgents('message:status', { id: r.id, status: 'read', error: null });
      }
    }
  }

  async listConversations(filter: ConversationFilter, limit: number, cursor?: string | null) {
    return this.d.conversations.list(filter, limit, cursor);
  }

  async conversation(id: string): Promise<ConversationJson> {
    const c = await this.d.conversations.json(id);
    if (!c) throw notFound('conversation');
    return c;
  }

  async listMessages(conversationId: string, limit: number, cursor?: string | null, includeNotes = true) {
    if (!(await this.d.conversations.byId(conversationId))) throw notFound('conversation');
    const page = await this.d.messages.list(conversationId, limit, cursor, { includeNotes });
    return { data: await this.d.messages.toJson(page.data, this.d.mediaUrl), next_cursor: page.next_cursor };
  }

  /** Flow 4: an agent's reply, note or template. */
  async sendAgentMessage(conversationId: string, body: AdminSendMessage, author: User): Promise<MessageJson> {
    const conversation = await this.d.conversations.byId(conversationId);
    if (!conversation) throw notFound('conversation');
    const contact = (await this.d.contacts.byId(conversation.contact_id))!;
    let row: MessageRow;
    if (body.message_type === 'note') {
      row = await this.insertAgentRow(conversation, { type: 'text', body: body.text.trim(), isNote: true, status: 'sent', author });
    } else if (conversation.channel === 'whatsapp') {
      row = await this.d.whatsapp.sendAgentMessage({ conversation, contact, body, author });
    } else if (body.message_type === 'text') {
      row = await this.insertAgentRow(conversation, { type: 'text', body: body.text.trim(), isNote: false, status: 'sent', author });
      if (contact.wa_id === null && contact.whatsapp_consent && contact.phone && !(await this.d.hub.visitorOnline(contact.id))) {
        // The visitor left, but asked to continue on WhatsApp: the bridge sends it there too.
        await this.d.whatsapp
          .sendAgentMessage({ conversation, contact, body, author, message: row })
          .catch((err) => this.d.logger.warn({ err, conversationId }, 'could not continue the web chat on WhatsApp'));
      }
    } else {
      throw new AppError('validation_failed', `${body.message_type} messages need a WhatsApp conversation`);
    }
    const [json] = await this.d.messages.toJson([row], this.d.mediaUrl);
    const message = { ...json!, author_name: author.name };
    if (!message.is_note && conversation.channel === 'web') this.d.hub.toVisitor(contact.id, 'message:new', { message: this.d.forVisitor({ ...message, author_name: author.name }) });
    await this.announce(conversation.id, message);
    return message;
  }

  private async insertAgentRow(
    conversation: ConversationRow,
    m: { type: string; body: string; isNote: boolean; status: 'sent' | 'queued'; author: User },
  ): Promise<MessageRow> {
    const now = Date.now();
    return this.d.tx(async (trx) => {
      const row = await this.d.messages.insert(
        {
          conversationId: conversation.id,
          direction: 'outbound',
          sender: 'agent',
          authorId: m.author.id,
          type: m.type,
          body: m.body,
          status: m.status,
          isNote: m.isNote,
          createdAt: now,
        },
        trx,
      );
      if (!m.isNote) await this.d.conversations.touch(conversation.id, { at: now, preview: m.body, inbound: false }, trx);
      return row;
    });
  }

  async markConversationRead(conversationId: string): Promise<ConversationJson> {
    const before = await this.d.conversations.byId(conversationId);
    await this.d.conversations.update(conversationId, { unread_count: 0 });
    if (before && before.unread_count > 0 && this.d.whatsapp.markRead) {
      // Blue ticks on the customer's phone once an agent has seen their messages.
      this.d.whatsapp.markRead(before).catch((err) => this.d.logger.warn({ err, conversationId }, 'could not mark the WhatsApp messages read'));
    }
    if (before?.channel === 'web') await this.markVisitorMessagesRead(before);
    const c = await this.conversation(conversationId);
    this.d.hub.toAgents('conversation:update', { conversation: c });
    return c;
  }

  /** An agent opened a web chat: the visitor's own messages show "read" in their widget. */
  private async markVisitorMessagesRead(conversation: ConversationRow): Promise<void> {
    const unread = await this.d.db<MessageRow>('messages')
      .where({ conversation_id: conversation.id, direction: 'inbound', status: 'received' })
      .select('id');
    if (unread.length === 0) return;
    const ids = unread.map((r) => r.id);
    await this.d.db('messages').whereIn('id', ids).andWhere('status', 'received').update({ status: 'read' });
    for (const id of ids) this.d.hub.toVisitor(conversation.contact_id, 'message:status', { id, status: 'read' });
  }

  async updateConversation(conversationId: string, patch: { status?: 'open' | 'resolved'; assignee_id?: string | null }): Promise<ConversationJson> {
    if (!(await this.d.conversations.byId(conversationId))) throw notFound('conversation');
    await this.d.conversations.update(conversationId, patch);
    const c = await this.conversation(conversationId);
    this.d.hub.toAgents('conversation:update', { conversation: c });
    return c;
  }

  async retryMessage(messageId: string): Promise<MessageJson> {
    const row = await this.d.messages.byId(messageId);
    if (!row) throw notFound('message');
    if (row.status !== 'failed') throw new AppError('conflict', 'only failed messages can be retried');
    await this.d.whatsapp.retry(row);
    const [json] = await this.d.messages.toJson([(await this.d.messages.byId(messageId))!], this.d.mediaUrl);
    this.d.hub.toAgents('message:status', { id: messageId, status: json!.status, error: null });
    return json!;
  }
}
