/** The messages of a conversation, oldest first, grouped by day; stays scrolled to the newest. */
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { MessageJson } from '../api/types.ts';
import { formatDay, formatMessageTime, messageAt } from '../lib/format.ts';
import { findQuoted } from '../stores/thread-state.ts';
import { MessageBubble } from './message-bubble.tsx';

export function MessageList({
  messages,
  onRetry,
  typing,
  windowOpen = true,
  onReact,
  onReply,
}: {
  messages: MessageJson[];
  onRetry: (id: string) => Promise<void>;
  typing: boolean;
  /** The conversation's 24-hour window (a 131047 failure can be retried once it is open again). */
  windowOpen?: boolean;
  onReact?: (m: MessageJson, emoji: string) => Promise<void>;
  onReply?: (m: MessageJson) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastId = messages[messages.length - 1]?.id;

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lastId, messages.length, typing]);

  // Images and players change height when they load, and the thread shrinks when a phone's
  // keyboard comes up: stay at the bottom if we were there.
  useEffect(() => {
    const el = ref.current;
    const list = el?.firstElementChild;
    if (!el || !list || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    ro.observe(list);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  let lastDay = '';
  return (
    <div
      ref={ref}
      class="msg-scroll"
      tabIndex={0}
      role="region"
      aria-label="Conversation history"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      <ol class="msg-list" aria-label="Messages" aria-live="polite" aria-relevant="additions">
        {messages.map((m) => {
          const quoted = findQuoted(messages, m.context);
          // A reaction is shown on the message it reacts to when the server attached it there.
          if (m.type === 'reaction' && quoted && quoted.reactions.length > 0) return null;
          const day = formatDay(messageAt(m));
          const sep = day !== lastDay;
          lastDay = day;
          return [
            sep ? (
              <li key={`day-${m.id}`} class="day-sep" aria-hidden="true">
                <span>{day}</span>
              </li>
            ) : null,
            // Our own timeline events, and WhatsApp's notices (a number or user id changed): a line, not a bubble.
            (m.type === 'event' && m.sender === 'system') || (m.type === 'system' && m.direction === 'inbound') ? (
              <li key={m.id} class="timeline-event" data-message-id={m.id}>
                <span>{m.text}</span> <time dateTime={m.created_at}>{formatMessageTime(m.created_at)}</time>
              </li>
            ) : (
              <MessageBubble key={m.id} m={m} quoted={quoted} onRetry={onRetry} windowOpen={windowOpen} onReact={onReact} onReply={onReply} />
            ),
          ];
        })}
      </ol>
      {typing && (
        <p class="typing" role="status">
          typing…
        </p>
      )}
    </div>
  );
}
