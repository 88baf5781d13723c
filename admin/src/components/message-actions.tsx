/**
 * What an agent can do with a message in the thread: react (a small emoji set; the team's current
 * reaction is pressed, choosing it again takes it back) and reply quoting it. Shown when the
 * message is hovered or has focus (always on touch screens), and reachable with Tab.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageJson } from '../api/types.ts';

const AGENT_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/** The team's reaction on a message (stored with `from: "agent"`), or ''. */
function agentReaction(m: MessageJson): string {
  return m.reactions.find((r) => r.from === 'agent')?.emoji ?? '';
}

/** Can this message take a reaction or a quote (notes, events, reactions and deleted ones cannot)? */
export function actionable(m: MessageJson): boolean {
  return !m.is_note && !m.deleted && m.type !== 'reaction' && m.type !== 'event';
}

export function MessageActions({
  m,
  onReact,
  onReply,
}: {
  m: MessageJson;
  /** Resolves once the server took the reaction; rejects with what went wrong. */
  onReact: (m: MessageJson, emoji: string) => Promise<void>;
  onReply: (m: MessageJson) => void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const current = agentReaction(m);

  function close() {
    setOpen(false);
    toggle.current?.focus();
  }

  async function react(emoji: string) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onReact(m, emoji === current ? '' : emoji);
      close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class={`msg-actions${open ? ' is-open' : ''}`}>
      <button
        ref={toggle}
        type="button"
        class="msg-action"
        aria-label="React"
        title="React"
        aria-expanded={open}
        onClick={() => {
          setError(null);
          setOpen(!open);
        }}
      >
        <span aria-hidden="true">☺</span>
      </button>
      <button type="button" class="msg-action" aria-label="Reply" title="Reply quoting this message" onClick={() => onReply(m)}>
        <span aria-hidden="true">↩</span>
      </button>
      {open && <ReactionPicker current={current} error={error} onPick={(emoji) => void react(emoji)} onClose={close} />}
    </div>
  );
}

function ReactionPicker({ current, error, onPick, onClose }: { current: string; error: string | null; onPick: (emoji: string) => void; onClose: () => void }) {
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => group.current?.querySelector('button')?.focus(), []);
  return (
    <div
      ref={group}
      class="reaction-picker"
      role="group"
      aria-label="Choose a reaction"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      {AGENT_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          aria-pressed={emoji === current}
          title={emoji === current ? 'Remove your reaction' : `React ${emoji}`}
          onClick={() => onPick(emoji)}
        >
          {emoji}
        </button>
      ))}
      {error && (
        <p class="reaction-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
