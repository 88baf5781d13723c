/**
 * The chat domain: visitors writing from the widget or HTTP, agents answering, conversations
 * listed for the inbox. Stores first, then pushes to realtime, then hands WhatsApp work to the
 * bridge — so an acknowledged message is always on disk.
 */
import type {
  AdminSendMessage,
  QuickReplyChoice,
  AgentReplyJson,
  ContinuationJson,
  ConversationJson,
  MessageJson,
  VisitorMessageBody,
} from '@connectdesk/shared';
import { normalizeWaId } from '@connectdesk/shared';
import { randomToken, sha256Hex } from '../auth/tokens.ts';
import type { TxRunner } from '../db/group-commit.ts';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';
import { withContactRow, type ConversationFilter, type ConversationRow, type ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo, NewMessage } from '../db/repos/messages-repo.ts';
import type { User } from '../db/repos/users-repo.ts';
import { together } from '../db/together.ts';
import { AppError, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { conversationJson } from '../presentation/conversation-json.ts';
import { messagesJson } from '../presentation/message-json.ts';
import type { ConversationLog } from './conversation-log.ts';
import type { ChatNotifier } from './notifier.ts';
import type { WhatsAppBridge } from './whatsapp-bridge.ts';
import { phonePatch, type PhoneVerification } from './phone-verification.ts';
import { mergeVisitorMeta, newVisitorMeta, type VisitorClient } from './visitor-details.ts';
import type { TimelineEvents } from './timeline-events.ts';
import { webFileKind, type WebFiles } from './web-files.ts';
import { mediaSummary } from '@connectdesk/shared/cloud-api/inbound-summary';
import { locationMessage } from '@connectdesk/shared/cloud-api/location-message';
import { interactiveObject } from '@connectdesk/shared/quick-replies';
import { resolveChoice, type ChosenReply } from './quick-reply-choice.ts';
import type { ReactionInput, Reactions } from './reactions.ts';

export interface ChatServiceDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  /** Where messages are stored and announced. */
  log: ConversationLog;
  notifier: ChatNotifier;
  whatsapp: WhatsAppBridge;
  logger: Logger;
  mediaUrl: (mediaId: string) => string | null;
  /** The message as its visitor receives it (visitor links to its file). */
  forVisitor: (message: MessageJson) => MessageJson;
  /** Asks visitors who leave a WhatsApp number to prove it (none: nothing is asked). */
  verification?: PhoneVerification;
  /** Stores assign/resolve/reopen events in the thread. */
  timeline: TimelineEvents;
  /** Agents' files a web visitor may receive (the visitors' allow-list). */
  webFiles: WebFiles;
  /** Called when an agent resolved an open conversation (the satisfaction survey asks then). */
  afterResolve?: (conversationId: string) => Promise<unknown>;
  /** Agents' and visitors' reactions (conversations/reactions.ts); without it reactions are refused. */
  reactions?: Reactions;
}

export interface VisitorMessageResult {
  conversation: ConversationRow;
  contact: ContactRow;
  message: MessageJson;
  visitorToken: string;
  created: boolean;
}

export class ChatService {
  private readonly contacts: ChatServiceDeps['contacts'];
  private readonly verification: ChatServiceDeps['verification'];
  private readonly conversations: ChatServiceDeps['conversations'];
  private readonly tx: ChatServiceDeps['tx'];
  private readonly log: ChatServiceDeps['log'];
  private readonly whatsapp: ChatServiceDeps['whatsapp'];
  private readonly messages: ChatServiceDeps['messages'];
  private readonly notifier: ChatServiceDeps['notifier'];
  private readonly mediaUrl: ChatServiceDeps['mediaUrl'];
  private readonly forVisitor: ChatServiceDeps['forVisitor'];
  private readonly logger: ChatServiceDeps['logger'];
  private readonly timeline: ChatServiceDeps['timeline'];
  private readonly webFiles: ChatServiceDeps['webFiles'];
  private readonly afterResolve: ChatServiceDeps['afterResolve'];
  private readonly reactions: ChatServiceDeps['reactions'];

  constructor({
    contacts,
    verification,
    conversations,
    tx,
    log,
    whatsapp,
    messages,
    notifier,
    mediaUrl,
    forVisitor,
    logger,
    timeline,
    webFiles,
    afterResolve,
    reactions,
  }: ChatServiceDeps) {
    this.contacts = contacts;
    this.verification = verification;
    this.conversations = conversations;
    this.tx = tx;
    this.log = log;
    this.whatsapp = whatsapp;
    this.messages = messages;
    this.notifier = notifier;
    this.mediaUrl = mediaUrl;
    this.forVisitor = forVisitor;
    this.logger = logger;
    this.timeline = timeline;
    this.webFiles = webFiles;
    this.afterResolve = afterResolve;
    this.reactions = reactions;
  }

  /** The visitor behind a token, or null. Tokens are stored hashed. */
  async visitorByToken(token: string | null | undefined): Promise<ContactRow | null> {
    if (!token || token.length < 16 || token.length > 128) return null;
    return this.contacts.byVisitorTokenHash(sha256Hex(token));
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
    const existing = await this.contacts.byVisitorTokenHash(hash);
    if (existing) return existing;
    try {
      return await this.contacts.createVisitor({ visitorTokenHash: hash, meta });
    } catch (err) {
      // Another tab sharing this token created the visitor a moment ago (unique token hash).
      const raced = await this.contacts.byVisitorTokenHash(hash);
      if (raced) return raced;
      throw err;
    }
  }

  async identifyVisitor(
    contact: ContactRow,
    input: { name?: string | null; email?: string | null; phone?: string | null; whatsapp_consent?: boolean },
  ): Promise<void> {
    const patch: Partial<ContactRow> = {};
    if (input.name) patch.name = input.name.trim().slice(0, 100);
    if (input.email) patch.email = input.email.trim().slice(0, 254);
    if (input.phone) {
      const waId = normalizeWaId(input.phone);
      if (!waId) throw new AppError('validation_failed', 'phone must be a number in international format, like +44 7700 900123');
      Object.assign(patch, phonePatch(contact, `+${waId}`));
      if (input.whatsapp_consent) patch.whatsapp_consent = true;
    }
    if (Object.keys(patch).length) await this.contacts.update(contact.id, patch);
    // A visitor already chatting is asked to prove the number now; otherwise with their first message.
    const conversation = this.verification ? await this.conversations.latestFor(contact.id, 'web') : null;
    if (!conversation) return;
    const businessNumber = await this.businessNumber();
    const prompt = await this.tx((trx) => this.verification!.promptIfNeeded(trx, contact.id, conversation.id, businessNumber));
    if (prompt) await this.log.announce(prompt);
  }

  private async businessNumber(): Promise<string | null> {
    return (await this.whatsapp.businessNumber?.()) ?? null;
  }

  /**
   * Flow 1. Idempotent by client_id: the same client_id returns the stored message again, so a
   * widget that retries after a lost ack never duplicates.
   */
  async receiveVisitorMessage(
    body: VisitorMessageBody & { site?: string | null },
    opts: {
      known?: ContactRow | null;
      issuedToken?: string;
      userAgent?: string | null;
      client?: VisitorClient;
      requestId?: string | null;
      /** A tap on a quick reply (resolveChoice): stored as its answer. */
      reply?: ChosenReply;
    } = {},
  ): Promise<VisitorMessageResult> {
    const client: VisitorClient = { ...opts.client, userAgent: opts.userAgent ?? opts.client?.userAgent, pageUrl: body.page_url ?? opts.client?.pageUrl };
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
    const forward = await this.whatsapp.prepareForward();
    const businessNumber = this.verification ? await this.businessNumber() : null;
    const result = await this.tx(async (trx) => {
      const newContact = !contact;
      if (!contact) {
        visitorToken ??= randomToken(24);
        contact = await this.contacts.createVisitor({ visitorTokenHash: sha256Hex(visitorToken), meta: newVisitorMeta(client) }, trx);
      }
      await this.contacts.lockForUpdate(contact.id, trx);
      const patch: Partial<ContactRow> = {};
      if (body.name && body.name !== contact.name) patch.name = body.name;
      if (body.email && body.email !== contact.email) patch.email = body.email;
      if (body.phone) {
        Object.assign(patch, phonePatch(contact, `+${normalizeWaId(body.phone)}`));
        if (body.whatsapp_consent) patch.whatsapp_consent = true;
      }
      const meta = mergeVisitorMeta(contact.meta, client);
      if (meta) patch.meta = meta;
      if (Object.keys(patch).length) {
        await this.contacts.update(contact.id, patch, trx);
        contact = { ...contact, ...patch };
      }
      const draft: Omit<NewMessage, 'conversationId'> = {
        channel: 'web',
        direction: 'inbound',
        sender: 'visitor',
        type: opts.reply ? 'interactive' : 'text',
        body: text,
        status: 'received',
        clientId: body.client_id ?? null,
        ...(opts.reply ? { content: opts.reply.content, contextMessageId: opts.reply.answers.id, contextWamid: opts.reply.answers.wamid } : {}),
        createdAt: now,
      };
      // A client_id this conversation holds already (a retry after a lost ack) stores nothing: the insert itself skips it.
      // The owner's queue and the contact as it now is (for the phone prompt and the agents' notice) go with the touch.
      const target = { contactId: contact.id, channel: 'web' as const, site: body.site ?? null, at: now };
      const stored = await this.log.appendFromVisitor(
        draft,
        target,
        trx,
        (row) =>
          together(
            trx,
            () => (forward ? forward.queue(trx, { messageId: row.id, conversationId: row.conversation_id }) : Promise.resolve()),
            () => this.contacts.byId(contact!.id, trx),
          ),
        newContact,
      );
      if (!stored.row) {
        const again = await this.messages.byClientId(stored.conversation.id, body.client_id!, trx);
        if (!again) throw new Error(`client_id ${body.client_id} conflicted but is not stored`);
        return { conversation: stored.conversation, message: again, created: false, prompt: null, shown: null };
      }
      const fresh = stored.alongside[1] ?? contact;
      const prompt = (await this.verification?.promptFor(trx, fresh, stored.conversation.id, businessNumber)) ?? null;
      return { conversation: stored.conversation, message: stored.row, created: true, prompt, shown: withContactRow(stored.conversation, fresh) };
    });
    const c = contact as unknown as ContactRow;
    if (!result.created)
      return { conversation: result.conversation, contact: c, message: await this.log.json(result.message), visitorToken: visitorToken!, created: false };
    const { message } = await this.log.announce(result.message, result.shown);
    forward?.queued();
    if (result.prompt) await this.log.announce(result.prompt);
    return { conversation: result.conversation, contact: c, message, visitorToken: visitorToken!, created: true };
  }

  /** The widget's `message:send`: the socket already knows who the visitor is. */
  async receiveVisitorMessageForContact(
    contact: ContactRow | null,
    p: {
      text?: string;
      choice?: QuickReplyChoice;
      client_id: string;
      name?: string;
      email?: string;
      phone?: string;
      whatsapp_consent?: boolean;
      page_url?: string;
    },
    issuedToken: string | null,
    client: VisitorClient = {},
    requestId: string | null = null,
  ): Promise<VisitorMessageResult> {
    const reply = p.choice ? await resolveChoice({ messages: this.messages, conversations: this.conversations }, contact, p.choice) : undefined;
    return this.receiveVisitorMessage(
      {
        text: reply?.text ?? p.text ?? '',
        client_id: p.client_id,
        name: p.name || null,
        email: p.email || null,
        phone: p.phone || null,
        whatsapp_consent: p.whatsapp_consent,
        page_url: p.page_url ?? null,
      },
      { known: contact, issuedToken: issuedToken ?? undefined, client, requestId, reply },
    );
  }

  /** A returning visitor's widget connected: keep their page, browser, language and time zone current. */
  async noteVisitorClient(contact: ContactRow, client: VisitorClient): Promise<void> {
    const meta = mergeVisitorMeta(contact.meta, client);
    if (meta) await this.contacts.update(contact.id, { meta });
  }

  async visitorById(id: string): Promise<ContactRow | null> {
    return this.contacts.byId(id);
  }

  /** Tell agents the visitor is typing (in their latest web conversation). */
  async visitorTyping(contact: ContactRow, on: boolean): Promise<void> {
    const conversation = await this.conversations.latestFor(contact.id, 'web');
    if (conversation) this.notifier.toAgents('typing', { conversation_id: conversation.id, on });
  }

  /** An agent is typing: tell the visitor of a web conversation, or show WhatsApp's typing indicator (throttled by the bridge). */
  async agentTyping(conversationId: string, on: boolean): Promise<void> {
    const conversation = await this.conversations.byId(conversationId);
    if (conversation?.channel === 'web') this.notifier.toVisitor(conversation.contact_id, 'typing', { on });
    else if (conversation?.channel === 'whatsapp' && on) await this.whatsapp.showTyping?.(conversation);
  }

  async visitorHistory(contact: ContactRow, limit = 100): Promise<MessageJson[]> {
    const conversation = await this.conversations.latestFor(contact.id, 'web');
    if (!conversation) return [];
    return (await messagesJson(this.messages, await this.messages.latest(conversation.id, limit), this.mediaUrl)).map(this.forVisitor);
  }

  /** Visitor read agent messages up to (and including) this message id. */
  async visitorRead(contact: ContactRow, upTo: string): Promise<void> {
    const conversation = await this.conversations.latestFor(contact.id, 'web');
    if (!conversation) return;
    const target = await this.messages.byId(upTo);
    if (!target || target.conversation_id !== conversation.id) return;
    for (const id of await this.messages.unreadOutboundUpTo(conversation.id, target.created_at)) {
      if (await this.messages.applyStatus(id, 'read')) {
        this.notifier.toAgents('message:status', { id, status: 'read', error: null });
      }
    }
  }

  async listConversations(filter: ConversationFilter, limit: number, cursor?: string | null) {
    const page = await this.conversations.list(filter, limit, cursor);
    const now = new Date();
    return { data: page.data.map((row) => conversationJson(row, now)), next_cursor: page.next_cursor };
  }

  async conversation(id: string): Promise<ConversationJson> {
    const c = await this.log.conversationJson(id);
    if (!c) throw notFound('conversation');
    return c;
  }

  async listMessages(conversationId: string, limit: number, cursor?: string | null, includeNotes = true) {
    if (!(await this.conversations.byId(conversationId))) throw notFound('conversation');
    const page = await this.messages.list(conversationId, limit, cursor, { includeNotes });
    return { data: await messagesJson(this.messages, page.data, this.mediaUrl), next_cursor: page.next_cursor };
  }

  /**
   * Flow 4: an agent's reply, note or template. A web visitor who left and asked to continue on
   * WhatsApp gets the reply there too (`continuation` says whether it was queued or refused).
   */
  async sendAgentMessage(conversationId: string, body: AdminSendMessage, author: User, requestId: string | null = null): Promise<AgentReplyJson> {
    const conversation = await this.conversations.byId(conversationId);
    if (!conversation) throw notFound('conversation');
    const contact = (await this.contacts.byId(conversation.contact_id))!;
    let row: MessageRow;
    let continuation: ContinuationJson | undefined;
    if (body.message_type === 'reaction') return { message: await this.reactionsOrRefuse().fromAgent(conversation, contact, body, requestId) };
    if (body.message_type === 'note') {
      row = await this.insertAgentRow(conversation, { type: 'text', body: body.text.trim(), isNote: true, status: 'sent', author });
    } else if (conversation.channel === 'whatsapp') {
      row = await this.whatsapp.sendAgentMessage({ conversation, contact, body, author, requestId });
    } else if (body.message_type === 'media') {
      const quoted = await this.quotedIn(conversation, body.reply_to);
      const file = await this.webFiles.forVisitor(body.media_id);
      const kind = webFileKind(file.mime);
      const caption = body.caption?.trim() || null;
      row = await this.insertAgentRow(conversation, {
        type: kind,
        body: mediaSummary(kind, { caption, filename: file.filename }),
        isNote: false,
        status: 'sent',
        author,
        content: { [kind]: { caption, filename: file.filename, mime_type: file.mime } },
        mediaId: file.id,
        quoted,
      });
    } else if (body.message_type === 'text') {
      const quoted = await this.quotedIn(conversation, body.reply_to);
      row = await this.insertAgentRow(conversation, { type: 'text', body: body.text.trim(), isNote: false, status: 'sent', author, quoted });
      if (contact.wa_id === null && contact.whatsapp_consent && contact.phone && !(await this.notifier.visitorOnline(contact.id))) {
        // The visitor left, but asked to continue on WhatsApp: the bridge sends it there too, once the number is proven.
        continuation = await this.whatsapp.sendAgentMessage({ conversation, contact, body, author, message: row, requestId }).then(
          () => ({ to: contact.phone!, status: 'queued' as const }),
          (err: unknown) => {
            this.logger.warn({ err, conversationId }, 'could not continue the web chat on WhatsApp');
            const error =
              err instanceof AppError ? { code: err.code, message: err.message } : { code: 'internal', message: 'could not queue the WhatsApp message' };
            return { to: contact.phone!, status: 'refused' as const, error };
          },
        );
      }
    } else if (body.message_type === 'location') {
      row = await this.insertAgentRow(conversation, { ...locationMessage(body.location), isNote: false, status: 'sent', author });
    } else if (body.message_type === 'interactive') {
      const interactive = interactiveObject(body.interactive);
      row = await this.insertAgentRow(conversation, {
        type: 'interactive',
        body: body.interactive.body.trim(),
        isNote: false,
        status: 'sent',
        author,
        content: { interactive },
      });
    } else {
      throw new AppError('validation_failed', `${body.message_type} messages need a WhatsApp conversation`);
    }
    const { message } = await this.log.announce(row);
    return continuation ? { message, continuation } : { message };
  }

  /** The widget's `reaction`: the visitor reacts to an agent's message of their conversation. */
  async visitorReaction(contact: ContactRow | null, input: ReactionInput): Promise<MessageJson> {
    if (!contact) throw new AppError('validation_failed', 'message_id must be a message of your conversation');
    return this.reactionsOrRefuse().fromVisitor(contact, input);
  }

  private reactionsOrRefuse(): Reactions {
    if (!this.reactions) throw new AppError('unavailable', 'reactions are not available');
    return this.reactions;
  }

  /** The message a reply quotes: one of this conversation's, or a clear 400. */
  private async quotedIn(conversation: ConversationRow, replyTo: string | undefined): Promise<MessageRow | null> {
    if (!replyTo) return null;
    const quoted = await this.messages.quotable(conversation.id, replyTo);
    if (!quoted) throw new AppError('validation_failed', 'reply_to must be a message of this conversation');
    return quoted;
  }

  private async insertAgentRow(
    conversation: ConversationRow,
    m: {
      type: string;
      body: string;
      isNote: boolean;
      status: 'sent' | 'queued';
      author: User;
      content?: unknown;
      mediaId?: string;
      quoted?: MessageRow | null;
    },
  ): Promise<MessageRow> {
    const now = Date.now();
    return this.tx((trx) =>
      this.log.append(
        {
          conversationId: conversation.id,
          channel: conversation.channel,
          direction: 'outbound',
          sender: 'agent',
          authorId: m.author.id,
          type: m.type,
          body: m.body,
          status: m.status,
          isNote: m.isNote,
          content: m.content,
          mediaId: m.mediaId ?? null,
          contextMessageId: m.quoted?.id ?? null,
          contextWamid: m.quoted?.wamid ?? null,
          createdAt: now,
        },
        trx,
      ),
    );
  }

  async markConversationRead(conversationId: string, requestId: string | null = null): Promise<ConversationJson> {
    const before = await this.conversations.byId(conversationId);
    await this.conversations.update(conversationId, { unread_count: 0 });
    if (before && before.unread_count > 0 && this.whatsapp.markRead) {
      // Blue ticks on the customer's phone once an agent has seen their messages.
      this.whatsapp.markRead(before, requestId).catch((err) => this.logger.warn({ err, conversationId }, 'could not mark the WhatsApp messages read'));
    }
    if (before?.channel === 'web') await this.markVisitorMessagesRead(before);
    const c = await this.conversation(conversationId);
    this.notifier.toAgents('conversation:update', { conversation: c });
    return c;
  }

  /** An agent opened a web chat: the visitor's own messages show "read" in their widget. */
  private async markVisitorMessagesRead(conversation: ConversationRow): Promise<void> {
    for (const id of await this.messages.markInboundRead(conversation.id))
      this.notifier.toVisitor(conversation.contact_id, 'message:status', { id, status: 'read' });
  }

  /** Assign, resolve or reopen; each change is told in the thread as a timeline event (`message:new`). */
  async updateConversation(
    conversationId: string,
    patch: { status?: 'open' | 'resolved'; assignee_id?: string | null },
    actor: User | null = null,
  ): Promise<ConversationJson> {
    const before = await this.conversations.byId(conversationId);
    if (!before) throw notFound('conversation');
    await this.conversations.update(conversationId, patch);
    const after = (await this.conversations.byId(conversationId))!;
    const events = await this.timeline.record(before, after, actor);
    const c = await this.conversation(conversationId);
    this.notifier.toAgents('conversation:update', { conversation: c });
    for (const message of await messagesJson(this.messages, events, this.mediaUrl)) this.notifier.toAgents('message:new', { message, conversation: c });
    if (patch.status === 'resolved' && before.status !== 'resolved' && this.afterResolve) {
      await this.afterResolve(conversationId).catch((err: unknown) => this.logger.warn({ err, conversationId }, 'after-resolve step failed'));
    }
    return c;
  }

  async retryMessage(messageId: string, requestId: string | null = null): Promise<MessageJson> {
    const row = await this.messages.byId(messageId);
    if (!row) throw notFound('message');
    if (row.status !== 'failed') throw new AppError('conflict', 'only failed messages can be retried');
    await this.whatsapp.retry(row, requestId);
    const [json] = await messagesJson(this.messages, [(await this.messages.byId(messageId))!], this.mediaUrl);
    this.notifier.toAgents('message:status', { id: messageId, status: json!.status, error: null });
    return json!;
  }
}
