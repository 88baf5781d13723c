/**
 * The conversation list: filters, search, every conversation by latest activity with unread
 * counts and the WhatsApp window; keyboard first (j/k or arrows move, Enter opens, / searches).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConversationFilters, ConversationJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { channelLabel, contactName, formatListTime } from '../lib/format.ts';
import { visitorFacts } from '../lib/visitor-facts.ts';
import { navigate, routePath } from '../lib/router.ts';
import { stepIndex } from '../stores/inbox-state.ts';
import { useStore } from '../stores/store.ts';
import { ContactAvatar } from './contact-avatar.tsx';
import { WindowBadge } from './window-badge.tsx';
import { GroupChip } from './group-chip.tsx';

function isTextTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function ConversationList({ openId }: { openId: string | null }) {
  const { inbox } = useApp();
  const state = useStore(inbox.list);
  const listRef = useRef<HTMLUListElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState(state.filters.q);

  // Search as you type, debounced.
  useEffect(() => {
    if (q === state.filters.q) return;
    const t = setTimeout(() => void inbox.setFilters({ q }), 250);
    return () => clearTimeout(t);
  }, [q]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === '/' && !isTextTarget(e.target)) {
        e.preventDefault();
        searchRef.current?.focus();
        return;
      }
      const down = e.key === 'j' || e.key === 'ArrowDown';
      const up = e.key === 'k' || e.key === 'ArrowUp';
      if (!down && !up) return;
      const list = listRef.current;
      if (!list) return;
      const inList = list.contains(document.activeElement);
      // Arrows only act inside the list (elsewhere they scroll); j/k anywhere but text fields.
      if (isTextTarget(e.target) || (!inList && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && document.activeElement !== document.body)) return;
      const items = [...list.querySelectorAll<HTMLAnchorElement>('a.conv-item')];
      let current = items.indexOf(document.activeElement as HTMLAnchorElement);
      if (current === -1) current = items.findIndex((a) => a.dataset.id === openId);
      const next = stepIndex(current, down ? 1 : -1, items.length);
      if (next >= 0) {
        e.preventDefault();
        items[next]!.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [openId]);

  const set = (patch: Partial<ConversationFilters>) => void inbox.setFilters(patch);
  const f = state.filters;

  return (
    <section class="conv-list-pane" aria-label="Conversations">
      <h1 class="visually-hidden">Inbox</h1>
      <div class="conv-list-head">
        <label class="search">
          <span class="visually-hidden">Search conversations</span>
          <input
            ref={searchRef}
            type="search"
            placeholder="Search name, number, text"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setQ('');
                e.currentTarget.blur();
              }
            }}
          />
        </label>
        <div class="filters" role="group" aria-label="Filters">
          <div class="segmented" role="group" aria-label="Status">
            {(['open', 'resolved', 'all'] as const).map((s) => (
              <button key={s} type="button" aria-pressed={f.status === s} onClick={() => set({ status: s })}>
                {s === 'open' ? 'Open' : s === 'resolved' ? 'Resolved' : 'All'}
              </button>
            ))}
          </div>
          <label class="select-inline">
            <span class="visually-hidden">Channel</span>
            <select aria-label="Channel" value={f.channel} onChange={(e) => set({ channel: e.currentTarget.value as ConversationFilters['channel'] })}>
              <option value="all">All channels</option>
              <option value="web">Website</option>
              <option value="whatsapp">WhatsApp</option>
            </select>
          </label>
          <label class="select-inline">
            <span class="visually-hidden">Assignee</span>
            <select aria-label="Assignee" value={f.assignee} onChange={(e) => set({ assignee: e.currentTarget.value as ConversationFilters['assignee'] })}>
              <option value="all">Everyone</option>
              <option value="me">Mine</option>
              <option value="unassigned">Unassigned</option>
            </select>
          </label>
        </div>
      </div>
      {state.error && (
        <p class="form-error pad" role="alert">
          Could not load conversations: {state.error}{' '}
          <button type="button" class="btn btn-link" onClick={() => void inbox.load()}>
            Try again
          </button>
        </p>
      )}
      {!state.loading && state.conversations.length === 0 && !state.error && (
        <p class="empty pad">
          {f.q ? `Nothing matches “${f.q}”.` : f.status === 'open' ? 'No open conversations. New messages appear here live.' : 'No conversations.'}
        </p>
      )}
      <ul ref={listRef} class="conv-list" aria-label="Conversation list" aria-busy={state.loading}>
        {state.conversations.map((c) => (
          <ConversationItem key={c.id} c={c} open={c.id === openId} typing={Boolean(state.typing[c.id])} />
        ))}
      </ul>
      {state.nextCursor && (
        <div class="pad">
          <button type="button" class="btn btn-block" onClick={() => void inbox.loadMore()} disabled={state.loading}>
            {state.loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}

function ConversationItem({ c, open, typing }: { c: ConversationJson; open: boolean; typing: boolean }) {
  const name = contactName(c.contact);
  const route = { name: 'inbox' as const, conversationId: c.id };
  return (
    <li>
      <a
        class={`conv-item${open ? ' is-open' : ''}${c.unread > 0 ? ' is-unread' : ''}`}
        href={routePath(route)}
        data-id={c.id}
        aria-current={open ? 'true' : undefined}
        onClick={(e) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          navigate(route);
        }}
      >
        <ContactAvatar conversation={c} />
        <span class="conv-main">
          <span class="conv-top">
            <span class="conv-name">{name}</span>
            <time class="conv-time" dateTime={c.last_message_at ?? undefined}>
              {formatListTime(c.last_message_at)}
            </time>
          </span>
          <span class="conv-preview">{typing ? <em>typing…</em> : (c.last_message_preview ?? '')}</span>
          {c.channel === 'web' && visitorFacts(c.contact).length > 0 && <span class="conv-visitor">{visitorFacts(c.contact).join(' · ')}</span>}
          <span class="conv-meta">
            <span class={`chip chip-${c.channel}`}>{channelLabel(c.channel)}</span>
            {c.group && <GroupChip />}
            {c.status === 'resolved' && <span class="chip">Resolved</span>}
            <WindowBadge conversation={c} />
            {c.unread > 0 && (
              <span class="badge conv-unread" aria-label={`${c.unread} unread`}>
                {c.unread}
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
}
