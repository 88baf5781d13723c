/**
 * The inbox: the conversation list (filters, pages, live updates) and the open conversation's
 * messages. Socket events are merged in as they come; a reconnect reloads what may have been missed.
 */
import type { Api } from '../api/client.ts';
import type { ConversationFilters, ConversationJson, MessageJson, User } from '../api/types.ts';
import type { AdminSocket } from '../socket.ts';
import { appendPage, DEFAULT_FILTERS, mergeConversation } from './inbox-state.ts';
import { createStore, type Store } from './store.ts';
import { applyStatus, mergeMessages, upsertMessage } from './thread-state.ts';

export interface ListState {
  filters: ConversationFilters;
  conversations: ConversationJson[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  /** Conversations where the customer or visitor is typing right now. */
  typing: Record<string, boolean>;
}

export interface ThreadState {
  conversationId: string | null;
  conversation: ConversationJson | null;
  messages: MessageJson[];
  loading: boolean;
  error: string | null;
}

const MAX_PAGES = 10;
const MAX_EARLY = 200;

type StatusEvent = Parameters<typeof applyStatus>[1];

export class Inbox {
  readonly list: Store<ListState>;
  readonly thread: Store<ThreadState>;
  private listRequest = 0;
  private threadRequest = 0;
  private readonly offs: (() => void)[] = [];
  /** Status events for messages the thread does not show yet (they can overtake the message itself). */
  private readonly early = new Map<string, StatusEvent>();

  constructor(
    private readonly api: Api,
    private readonly me: User,
    private readonly socket: AdminSocket | null,
    private readonly isVisible: () => boolean = () => document.visibilityState === 'visible',
  ) {
    this.list = createStore<ListState>({ filters: DEFAULT_FILTERS, conversations: [], nextCursor: null, loading: false, error: null, typing: {} });
    this.thread = createStore<ThreadState>({ conversationId: null, conversation: null, messages: [], loading: false, error: null });
    if (socket) this.listen(socket);
  }

  private listen(socket: AdminSocket): void {
    const onNew = ({ message, conversation }: { message: MessageJson; conversation: ConversationJson }) => this.receive(message, conversation);
    const onUpdate = ({ conversation }: { conversation: ConversationJson }) => this.mergeConversation(conversation);
    const onStatus = (ev: StatusEvent) => this.applyStatus(ev);
    const onTyping = ({ conversation_id, on }: { conversation_id: string; on: boolean }) =>
      this.list.set((s) => ({ ...s, typing: { ...s.typing, [conversation_id]: on } }));
    // After a reconnect, events sent while we were away are gone: reload the list and the thread.
    const onReconnect = () => {
      void this.load();
      const id = this.thread.get().conversationId;
      if (id) void this.refreshThread(id);
    };
    socket.on('message:new', onNew);
    socket.on('conversation:update', onUpdate);
    socket.on('message:status', onStatus);
    socket.on('typing', onTyping);
    socket.io.on('reconnect', onReconnect);
    this.offs.push(() => {
      socket.off('message:new', onNew);
      socket.off('conversation:update', onUpdate);
      socket.off('message:status', onStatus);
      socket.off('typing', onTyping);
      socket.io.off('reconnect', onReconnect);
    });
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  applyStatus(ev: StatusEvent): void {
    if (!this.thread.get().messages.some((m) => m.id === ev.id)) {
      this.early.set(ev.id, ev);
      if (this.early.size > MAX_EARLY) this.early.delete(this.early.keys().next().value!);
      return;
    }
    this.thread.set((t) => ({ ...t, messages: applyStatus(t.messages, ev) }));
  }

  /** Add or refresh a message in the open thread, then any status that overtook it. */
  private upsert(message: MessageJson): void {
    this.thread.set((t) => ({ ...t, messages: upsertMessage(t.messages, message) }));
    const ev = this.early.get(message.id);
    if (ev) {
      this.early.delete(message.id);
      this.thread.set((t) => ({ ...t, messages: applyStatus(t.messages, ev) }));
    }
  }

  /** A live message: update its conversation in the list, and the thread when it is the open one. */
  receive(message: MessageJson, conversation: ConversationJson): void {
    const openId = this.thread.get().conversationId;
    if (conversation.id === openId) {
      this.thread.set((t) => ({ ...t, conversation }));
      this.upsert(message);
      if (message.direction === 'inbound' && this.isVisible()) {
        // The agent is looking at it: it is read.
        void this.api.markRead(conversation.id).catch(() => {});
        conversation = { ...conversation, unread: 0 };
      }
    }
    this.mergeConversation(conversation);
    if (message.direction === 'inbound') this.list.set((s) => ({ ...s, typing: { ...s.typing, [conversation.id]: false } }));
  }

  mergeConversation(c: ConversationJson): void {
    const openId = this.thread.get().conversationId;
    this.list.set((s) => ({ ...s, conversations: mergeConversation(s.conversations, c, s.filters, this.me.id) }));
    if (c.id === openId) this.thread.set((t) => ({ ...t, conversation: c }));
  }

  async load(): Promise<void> {
    const req = ++this.listRequest;
    const { filters } = this.list.get();
    this.list.set((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await this.api.conversations(filters);
      if (req !== this.listRequest) return;
      this.list.set((s) => ({ ...s, conversations: page.data, nextCursor: page.next_cursor, loading: false }));
    } catch (err) {
      if (req !== this.listRequest) return;
      this.list.set((s) => ({ ...s, loading: false, error: (err as Error).message }));
    }
  }

  async loadMore(): Promise<void> {
    const { nextCursor, filters, loading } = this.list.get();
    if (!nextCursor || loading) return;
    const req = this.listRequest;
    this.list.set((s) => ({ ...s, loading: true }));
    try {
      const page = await this.api.conversations(filters, nextCursor);
      if (req !== this.listRequest) return;
      this.list.set((s) => ({ ...s, conversations: appendPage(s.conversations, page.data), nextCursor: page.next_cursor, loading: false }));
    } catch (err) {
      this.list.set((s) => ({ ...s, loading: false, error: (err as Error).message }));
    }
  }

  setFilters(patch: Partial<ConversationFilters>): Promise<void> {
    this.list.set((s) => ({ ...s, filters: { ...s.filters, ...patch } }));
    return this.load();
  }

  /** Open a conversation: its messages (all pages, oldest first), then mark it read. */
  async open(id: string | null): Promise<void> {
    if (id === this.thread.get().conversationId && this.thread.get().conversation) return;
    const known = id ? (this.list.get().conversations.find((c) => c.id === id) ?? null) : null;
    this.thread.set({ conversationId: id, conversation: known, messages: [], loading: Boolean(id), error: null });
    if (id) await this.refreshThread(id);
  }

  async refreshThread(id: string): Promise<void> {
    const req = ++this.threadRequest;
    try {
      const [{ conversation }, messages] = await Promise.all([this.api.conversation(id), this.allMessages(id)]);
      if (req !== this.threadRequest) return;
      this.thread.set((t) => ({
        ...t,
        conversation,
        messages: mergeMessages(
          messages,
          t.messages.filter((m) => m.conversation_id === id),
        ),
        loading: false,
      }));
      this.mergeConversation(conversation);
      if (conversation.unread > 0) {
        const { conversation: read } = await this.api.markRead(id);
        this.mergeConversation(read);
      }
    } catch (err) {
      if (req !== this.threadRequest) return;
      this.thread.set((t) => ({ ...t, loading: false, error: (err as Error).message }));
    }
  }

  private async allMessages(id: string): Promise<MessageJson[]> {
    let out: MessageJson[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await this.api.messages(id, cursor);
      out = out.concat(page.data);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return out;
  }

  /** Our own sends: shown at once from the POST answer (the socket echo is deduplicated by id). */
  addOwnMessage(message: MessageJson): void {
    if (message.conversation_id !== this.thread.get().conversationId) return;
    this.upsert(message);
  }

  async update(id: string, patch: { status?: 'open' | 'resolved'; assignee_id?: string | null }): Promise<void> {
    const { conversation } = await this.api.updateConversation(id, patch);
    this.mergeConversation(conversation);
  }

  async retry(messageId: string): Promise<void> {
    const { message } = await this.api.retryMessage(messageId);
    this.applyStatus({ id: message.id, status: message.status, error: message.error });
  }
}
