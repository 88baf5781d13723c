/**
 * One visitor's conversation: the socket, the persisted outbox, history, delivery states, typing
 * both ways and unread counting. No UI here; components subscribe and render `state`.
 *
 * Identity: the token lives in localStorage (`connectdesk:visitor_token`), so reloads and other
 * tabs continue the same conversation. A token the server issued is only remembered once nothing
 * else is stored, or once this tab has written with it (the server stores a visitor only when they
 * write or identify); other tabs follow a changed token through the `storage` event.
 */
import type { MessageJson, QuickReplyChoice, SurveyJson } from '@connectdesk/shared';
import type { Identity } from '../contract.ts';
import type { AckReply, VisitorSocket } from '../socket.ts';
import { KEYS, type Store } from '../storage.ts';
import { checkFile, uploadAttachment, type FileProblem } from './attachments.ts';
import { applyStatus, fromServer, latestReply, mergeHistory, unreadCount, upsert, type ChatItem } from './chat-items.ts';
import { newClientId, Outbox, type OutboxEntry } from './outbox.ts';

export type Connection = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface SessionState {
  items: ChatItem[];
  connection: Connection;
  /** The agent is typing (their name, or '' when unknown); null when not. */
  agentTyping: string | null;
  unread: number;
  /** Whether an agent is online (the socket's `presence`); null until the server has said. */
  agentsOnline: boolean | null;
  /** "How did we do?" after an agent resolved the chat, and where answering it stands. */
  survey: SurveyState | null;
}

export interface SurveyState {
  survey: SurveyJson;
  phase: 'ask' | 'sending' | 'done' | 'closed' | 'failed';
}

export interface VisitorIdentity extends Identity {
  whatsapp_consent?: boolean;
}

export interface SessionDeps {
  base: string;
  win: Window;
  store: Store;
  connect(auth: () => { visitor_token?: string }): VisitorSocket;
  fetch: typeof fetch;
  /** A reply from the business arrived live (for sound and title notifications). */
  onReply(item: ChatItem): void;
  /** Any stored message seen for the first time (for `ConnectDesk.on('message')`). */
  onMessage(message: MessageJson): void;
}

const ACK_TIMEOUT = 15_000;
const TYPING_IDLE = 3_000;
const AGENT_TYPING_MAX = 15_000;

export class ChatSession {
  state: SessionState;
  private readonly outbox: Outbox;
  private readonly listeners = new Set<() => void>();
  private readonly announced = new Set<string>();
  private readonly files = new Map<string, File>();
  private socket: VisitorSocket | null = null;
  private token: string | null;
  private visible = false;
  private flushing = false;
  private typingOn = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingIdentity: VisitorIdentity | null = null;

  constructor(private readonly d: SessionDeps) {
    this.outbox = new Outbox(d.store);
    this.token = d.store.get(KEYS.token);
    this.state = { items: this.outbox.list().map(pendingItem), connection: 'connecting', agentTyping: null, unread: 0, agentsOnline: null, survey: null };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private update(patch: Partial<SessionState>): void {
    const items = patch.items ?? this.state.items;
    const unread = this.visible ? 0 : unreadCount(items, this.d.store.get(KEYS.seen));
    this.state = { ...this.state, ...patch, unread };
    for (const fn of this.listeners) fn();
  }

  start(): void {
    const { win } = this.d;
    const socket = this.d.connect(() => (this.token ? { visitor_token: this.token } : {}));
    this.socket = socket;
    socket.on('connect', () => {
      this.update({ connection: 'online' });
      this.loadHistory();
      void this.sendIdentity();
      void this.flush();
    });
    socket.on('disconnect', () => this.update({ connection: win.navigator.onLine === false ? 'offline' : 'reconnecting', agentTyping: null }));
    socket.on('connect_error', () => {
      this.update({ connection: win.navigator.onLine === false ? 'offline' : 'reconnecting' });
      // Refused by the server (not a network failure): socket.io does not retry those by itself.
      if (!socket.active) this.retryLater(() => socket.connect(), 5_000 + Math.random() * 5_000);
    });
    socket.on('session', ({ visitor_token }) => {
      this.token = visitor_token;
      if (!this.d.store.get(KEYS.token)) this.d.store.set(KEYS.token, visitor_token);
    });
    socket.on('message:new', ({ message }) => this.receive(message, true));
    socket.on('presence', ({ online }) => this.update({ agentsOnline: online === true }));
    socket.on('survey:ask', ({ survey }) => {
      if (this.state.survey?.survey.id !== survey.id) this.update({ survey: { survey, phase: survey.status === 'asked' ? 'ask' : 'closed' } });
    });
    socket.on('message:status', ({ id, status }) => this.update({ items: applyStatus(this.state.items, id, status) }));
    socket.on('typing', ({ on }) => {
      clearTimeout(this.agentTypingTimer);
      if (on) this.agentTypingTimer = setTimeout(() => this.update({ agentTyping: null }), AGENT_TYPING_MAX);
      this.update({ agentTyping: on ? (latestReply(this.state.items)?.author ?? '') : null });
    });

    win.addEventListener('offline', () => {
      socket.disconnect();
      this.update({ connection: 'offline' });
    });
    // Back online, or the visitor returns to the tab: try now rather than wait out the backoff.
    const retryNow = () => {
      const c = this.state.connection;
      if (socket.connected || c === 'online' || c === 'connecting') return;
      socket.disconnect();
      socket.connect();
    };
    win.addEventListener('online', retryNow);
    win.document.addEventListener('visibilitychange', () => {
      if (win.document.visibilityState === 'visible') retryNow();
    });
    win.addEventListener('storage', (e) => {
      if (e.key === KEYS.token && e.newValue && e.newValue !== this.token) {
        // Another tab started (or continued) the conversation: follow it.
        this.token = e.newValue;
        this.update({ items: this.state.items.filter((i) => i.id === null) });
        socket.disconnect().connect();
      }
    });
    if (win.navigator.onLine === false) this.update({ connection: 'offline' });
    else socket.connect();
  }

  private retryLater(fn: () => void, ms: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(fn, ms);
  }

  private loadHistory(): void {
    this.socket?.timeout(ACK_TIMEOUT).emit('history', {}, (err, res) => {
      if (err || !res.ok) return;
      for (const m of res.messages) this.announced.add(m.id);
      this.update({ items: mergeHistory(this.state.items, res.messages) });
      for (const m of res.messages) if (m.direction === 'inbound' && m.client_id) this.outbox.remove(m.client_id);
      if (this.visible) this.markSeen(true);
    });
  }

  private receive(m: MessageJson, live: boolean): void {
    if (m.is_note) return;
    const isNew = !this.announced.has(m.id);
    this.announced.add(m.id);
    if (m.direction === 'inbound' && m.client_id) this.outbox.remove(m.client_id);
    const item = fromServer(m);
    this.update({ items: upsert(this.state.items, item), ...(live && !item.mine ? { agentTyping: null } : {}) });
    if (!isNew) return;
    this.d.onMessage(m);
    if (live && !item.mine) {
      if (this.visible) this.markSeen(false);
      else this.d.onReply(item);
    }
  }

  /** The visitor has written (or identified): their token now names a stored visitor. */
  private markActive(): void {
    if (this.token && this.d.store.get(KEYS.token) !== this.token) this.d.store.set(KEYS.token, this.token);
    this.d.store.set(KEYS.active, '1');
  }

  /** Sends text, or (with `choice`) the quick reply titled `text` that the visitor tapped. */
  send(text: string, choice?: QuickReplyChoice): void {
    const body = text.trim();
    if (!body) return;
    const entry: OutboxEntry = { client_id: newClientId(this.d.win.crypto), text: body, created_at: new Date().toISOString(), choice };
    this.outbox.add(entry);
    this.stopTyping();
    this.update({ items: upsert(this.state.items, pendingItem(entry)) });
    void this.flush();
  }

  /** Sends the outbox in order; stops at the first message the connection could not deliver. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const entry of this.outbox.list()) {
        if (!this.socket?.connected) break;
        if (!(await this.deliver(entry))) break;
      }
    } finally {
      this.flushing = false;
    }
  }

  private async deliver(entry: OutboxEntry): Promise<boolean> {
    const socket = this.socket!;
    let res: AckReply<'message:send'>;
    try {
      res = await socket.timeout(ACK_TIMEOUT).emitWithAck('message:send', {
        ...(entry.choice ? { choice: entry.choice } : { text: entry.text }),
        client_id: entry.client_id,
        page_url: this.d.win.location.href.slice(0, 2048),
      });
    } catch {
      return false; // no ack: the connection is gone; the next connect resends (same client_id)
    }
    if (res.ok) {
      this.outbox.remove(entry.client_id);
      this.markActive();
      this.receive(res.message, false);
      return true;
    }
    if (res.error.code === 'rate_limited') {
      this.retryLater(() => void this.flush(), 5_000);
      return false;
    }
    this.outbox.remove(entry.client_id);
    this.update({ items: upsert(this.state.items, { ...pendingItem(entry), state: 'failed', error: res.error.message }) });
    return true;
  }

  /** Sends a failed message (or attachment) again with the same client_id. */
  retry(item: ChatItem): void {
    if (!item.clientId || item.state !== 'failed') return;
    const file = this.files.get(item.clientId);
    if (file) {
      void this.upload(item.clientId, file);
      return;
    }
    this.outbox.add({ client_id: item.clientId, text: item.text, created_at: item.at, choice: item.choice });
    this.update({ items: upsert(this.state.items, { ...item, state: 'sending', error: null }) });
    void this.flush();
  }

  /** Checks and uploads a file; returns the problem when the file is refused before upload. */
  sendFile(file: File): FileProblem | null {
    const problem = checkFile(file);
    if (problem) return problem;
    const clientId = newClientId(this.d.win.crypto);
    this.files.set(clientId, file);
    void this.upload(clientId, file);
    return null;
  }

  private async upload(clientId: string, file: File): Promise<void> {
    const image = /^image\//.test(file.type);
    const pending: ChatItem = {
      ...pendingItem({ client_id: clientId, text: '', created_at: new Date().toISOString() }),
      media: { url: null, mime: file.type || null, filename: file.name },
      preview: image ? URL.createObjectURL(file) : null,
    };
    this.update({ items: upsert(this.state.items, pending) });
    try {
      if (!this.token) throw new Error('not connected yet');
      const wasActive = this.d.store.get(KEYS.active) === '1' && this.d.store.get(KEYS.token) === this.token;
      const message = await uploadAttachment(this.d.fetch, this.d.base, { visitorToken: this.token, clientId, file });
      this.files.delete(clientId);
      this.markActive();
      this.receive(message, false);
      // The upload may have created this visitor: reconnect so the socket joins their room.
      if (!wasActive) this.socket?.disconnect().connect();
    } catch (err) {
      this.update({ items: upsert(this.state.items, { ...pending, state: 'failed', error: err instanceof Error ? err.message : null }) });
    }
  }

  identify(identity: VisitorIdentity): void {
    this.pendingIdentity = { ...this.pendingIdentity, ...identity };
    this.d.store.set(KEYS.identity, JSON.stringify({ ...this.savedIdentity(), ...identity }));
    void this.sendIdentity();
  }

  savedIdentity(): VisitorIdentity {
    try {
      return (JSON.parse(this.d.store.get(KEYS.identity) ?? '{}') as VisitorIdentity) ?? {};
    } catch {
      return {};
    }
  }

  private async sendIdentity(): Promise<void> {
    const identity = this.pendingIdentity;
    if (!identity || !this.socket?.connected) return;
    try {
      const res = await this.socket.timeout(ACK_TIMEOUT).emitWithAck('identify', identity);
      if (!res.ok) return;
    } catch {
      return; // no ack: sent again on the next connect
    }
    if (this.pendingIdentity === identity) this.pendingIdentity = null;
    this.markActive();
  }

  /** Answers the survey: the first answer counts; a late or repeated one is told so. */
  async answerSurvey(rating: number, comment: string): Promise<void> {
    const current = this.state.survey;
    if (!current || current.phase === 'sending' || current.phase === 'done') return;
    const set = (phase: SurveyState['phase'], survey = current.survey) => this.update({ survey: { survey, phase } });
    if (!this.socket?.connected) return set('failed');
    set('sending');
    try {
      const res = await this.socket
        .timeout(ACK_TIMEOUT)
        .emitWithAck('survey:answer', { survey_id: current.survey.id, rating, comment: comment.trim() || null });
      if (res.ok) set('done', res.survey);
      else set(res.error.code === 'survey_answered' || res.error.code === 'survey_expired' ? 'closed' : 'failed');
    } catch {
      set('failed');
    }
  }

  /** The visitor is typing: `typing {on:true}` once per burst, `{on:false}` after a pause. */
  noteTyping(): void {
    if (!this.typingOn && this.socket?.connected) {
      this.typingOn = true;
      this.socket.emit('typing', { on: true });
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE);
  }

  stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (!this.typingOn) return;
    this.typingOn = false;
    if (this.socket?.connected) this.socket.emit('typing', { on: false });
  }

  /** The socket while connected, for a request from a lazily loaded part (the reaction picker). */
  connected(): VisitorSocket | null {
    return this.socket?.connected ? this.socket : null;
  }

  /** A stored message a request answered with (its new reactions). */
  stored(m: MessageJson): void {
    this.receive(m, false);
  }

  /** Whether the visitor can see the conversation (panel open, page visible). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.markSeen(false);
    else this.update({});
  }

  private markSeen(force: boolean): void {
    const last = latestReply(this.state.items);
    const seen = this.d.store.get(KEYS.seen);
    if (last && (force || seen === null || last.at > seen)) {
      if (seen === null || last.at > seen) this.d.store.set(KEYS.seen, last.at);
      if (this.socket?.connected && last.id) this.socket.emit('read', { up_to: last.id });
    }
    this.update({});
  }
}

function pendingItem(entry: OutboxEntry): ChatItem {
  return {
    key: entry.client_id,
    id: null,
    clientId: entry.client_id,
    mine: true,
    text: entry.text,
    at: entry.created_at,
    state: 'sending',
    author: null,
    media: null,
    choice: entry.choice,
  };
}
