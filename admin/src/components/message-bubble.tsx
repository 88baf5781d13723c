/** One message: who and when, the quoted message it replies to, content, reactions, delivery, failure and retry. */
import { useState } from 'preact/hooks';
import type { MessageJson } from '../api/types.ts';
import { formatMessageTime, messageAt } from '../lib/format.ts';
import { DeliveryTicks } from './delivery-ticks.tsx';
import { MessageContent } from './message-content.tsx';
import { FormError } from './form-error.tsx';
import { actionable, MessageActions } from './message-actions.tsx';

const SENDER_LABEL: Record<MessageJson['sender'], string> = {
  visitor: 'Visitor',
  customer: 'Customer',
  agent: 'Agent',
  owner: 'Owner (from WhatsApp)',
  system: 'System',
};

/** Meta's 131047: outside the 24-hour window; only a template can be sent. */
const REENGAGEMENT_CODE = '131047';

export function MessageBubble({
  m,
  quoted,
  onRetry,
  windowOpen = true,
  onReact,
  onReply,
}: {
  m: MessageJson;
  quoted: MessageJson | null;
  onRetry: (id: string) => Promise<void>;
  /** The conversation's 24-hour window as the server computed it. */
  windowOpen?: boolean;
  /** React to this message (message-actions.tsx); without it the bubble offers no actions. */
  onReact?: (m: MessageJson, emoji: string) => Promise<void>;
  /** Reply quoting this message. */
  onReply?: (m: MessageJson) => void;
}) {
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<string | null>(null);
  const side = m.is_note ? 'note' : m.direction === 'inbound' ? 'in' : 'out';
  const who = m.is_note ? `Internal note${m.author_name ? ` · ${m.author_name}` : ''}` : (m.author_name ?? SENDER_LABEL[m.sender] ?? m.sender);
  const quoteText = m.context ? quoted?.text || m.context.text || 'an earlier message' : null;

  async function retry() {
    setRetrying(true);
    setRetryError(null);
    try {
      await onRetry(m.id);
    } catch (err) {
      setRetryError((err as Error).message);
    } finally {
      setRetrying(false);
    }
  }

  return (
    <li class={`msg msg-${side}${m.status === 'failed' ? ' msg-failed' : ''}`} data-message-id={m.id} data-type={m.type}>
      <div class="msg-bubble">
        <span class="msg-who">{who}</span>
        {quoteText && m.type !== 'reaction' && (
          <blockquote class="msg-quote">
            <span class="visually-hidden">In reply to: </span>
            {quoteText}
          </blockquote>
        )}
        <MessageContent m={m} />
        {m.reactions.length > 0 && (
          <ul class="msg-reactions" aria-label="Reactions">
            {m.reactions.map((r, i) => (
              <li key={i} title={r.from === 'agent' ? 'Your team reacted' : r.from === 'owner' ? 'Owner reacted (from WhatsApp)' : 'Customer reacted'}>
                {r.emoji}
              </li>
            ))}
          </ul>
        )}
        <span class="msg-foot">
          {m.edited_at && <span class="msg-edited">edited</span>}
          <time dateTime={messageAt(m)}>{formatMessageTime(messageAt(m))}</time>
          {side === 'out' && <DeliveryTicks status={m.status} />}
        </span>
      </div>
      {onReact && onReply && actionable(m) && <MessageActions m={m} onReact={onReact} onReply={onReply} />}
      {m.status === 'failed' && !m.is_note && (
        <div class="msg-error" role="group" aria-label="Not delivered">
          <p class="msg-error-title">
            <strong>Not delivered</strong>
            {m.error ? ` — ${m.error.title}${m.error.code ? ` (${m.error.code})` : ''}` : ''}
          </p>
          {m.error?.explanation && <p>{m.error.explanation}</p>}
          {m.error?.fix && (
            <p>
              <strong>Fix: </strong>
              {m.error.fix}
            </p>
          )}
          {m.error?.detail && <p class="msg-error-detail">{m.error.detail}</p>}
          {m.error?.code === REENGAGEMENT_CODE && !windowOpen ? (
            // Retrying cannot work until the customer writes again: only a template can go now.
            <p class="msg-error-next">Send an approved template from the composer below.</p>
          ) : (
            <>
              <button type="button" class="btn btn-small" onClick={() => void retry()} disabled={retrying}>
                {retrying ? 'Retrying…' : 'Retry'}
              </button>
              <FormError error={retryError} />
            </>
          )}
        </div>
      )}
    </li>
  );
}
