/** The open conversation: header (window, assignee, resolve/reopen), messages and the composer. */
import { useEffect, useState } from 'preact/hooks';
import type { Agent, ConversationJson, MessageJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { channelLabel, contactName, contactNumber } from '../lib/format.ts';
import { useStore } from '../stores/store.ts';
import { Composer } from './composer.tsx';
import { NavLink } from './nav-link.tsx';
import { MessageList } from './message-list.tsx';
import { WindowBadge } from './window-badge.tsx';
import { GroupChip } from './group-chip.tsx';

export function ConversationView({
  conversation,
  agents,
  onToggleContact,
  contactOpen,
}: {
  conversation: ConversationJson;
  agents: Agent[];
  onToggleContact: () => void;
  contactOpen: boolean;
}) {
  const { inbox, api } = useApp();
  const thread = useStore(inbox.thread);
  const typing = useStore(inbox.list, (s) => Boolean(s.typing[conversation.id]));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The message the next reply quotes (its Reply button), until sent or cancelled. */
  const [replyTo, setReplyTo] = useState<MessageJson | null>(null);
  useEffect(() => setReplyTo(null), [conversation.id]);

  async function react(m: MessageJson, emoji: string) {
    const { message } = await api.sendMessage(conversation.id, { message_type: 'reaction', message_id: m.id, emoji });
    inbox.addOwnMessage(message);
  }

  async function update(patch: { status?: 'open' | 'resolved'; assignee_id?: string | null }) {
    setBusy(true);
    setError(null);
    try {
      await inbox.update(conversation.id, patch);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const name = contactName(conversation.contact);
  const number = contactNumber(conversation.contact);
  const resolved = conversation.status === 'resolved';

  return (
    <section class="conv-view" aria-label={`Conversation with ${name}`}>
      <header class="conv-header">
        <NavLink to={{ name: 'inbox', conversationId: null }} current={false} class="btn btn-ghost back-link">
          <span aria-hidden="true">←</span> Inbox
        </NavLink>
        <div class="conv-title">
          <h1>{name}</h1>
          <p class="conv-sub">
            <span class={`chip chip-${conversation.channel}`}>{channelLabel(conversation.channel)}</span>
            {conversation.group && <GroupChip />}
            {number && number !== name && <span class="muted">{number}</span>}
            <WindowBadge conversation={conversation} long />
          </p>
        </div>
        <div class="conv-actions">
          <label class="select-inline">
            <span class="visually-hidden">Assignee</span>
            <select
              aria-label="Assignee"
              value={conversation.assignee_id ?? ''}
              disabled={busy}
              onChange={(e) => void update({ assignee_id: e.currentTarget.value || null })}
              title="Assign to an agent"
            >
              <option value="">Unassigned</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class={`btn ${resolved ? '' : 'btn-success'}`}
            disabled={busy}
            onClick={() => void update({ status: resolved ? 'open' : 'resolved' })}
          >
            {resolved ? 'Reopen' : 'Resolve'}
          </button>
          <button type="button" class="btn btn-ghost contact-toggle" aria-expanded={contactOpen} onClick={onToggleContact}>
            Contact
          </button>
        </div>
      </header>
      {error && (
        <p class="form-error pad" role="alert">
          {error}
        </p>
      )}
      {thread.error && (
        <p class="form-error pad" role="alert">
          Could not load messages: {thread.error}
        </p>
      )}
      {thread.loading && thread.messages.length === 0 ? (
        <p class="muted pad msg-scroll" role="status">
          Loading messages…
        </p>
      ) : (
        <MessageList
          messages={thread.messages}
          typing={typing}
          onRetry={(id) => inbox.retry(id)}
          windowOpen={conversation.window.open}
          onReact={react}
          onReply={setReplyTo}
        />
      )}
      <Composer conversation={conversation} onSent={(m) => inbox.addOwnMessage(m)} replyTo={replyTo} onClearReply={() => setReplyTo(null)} />
    </section>
  );
}
