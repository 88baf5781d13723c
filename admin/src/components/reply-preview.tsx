/** Above the composer while replying to a message: who wrote it, its words, and × to stop quoting. */
import type { MessageJson } from '../api/types.ts';

const WHO: Record<MessageJson['sender'], string> = { visitor: 'Visitor', customer: 'Customer', agent: 'Agent', owner: 'Owner', system: 'System' };

export function ReplyPreview({ m, onCancel }: { m: MessageJson; onCancel: () => void }) {
  return (
    <div class="reply-preview" role="group" aria-label="Replying to">
      <div class="reply-preview-body">
        <strong>Replying to {m.author_name ?? WHO[m.sender] ?? m.sender}</strong>
        <span class="reply-preview-text">{m.text}</span>
      </div>
      <button type="button" class="reply-preview-cancel" aria-label="Cancel reply" title="Cancel reply" onClick={onCancel}>
        ×
      </button>
    </div>
  );
}
