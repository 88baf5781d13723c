/** "23h 12m left" / "Window closed" for a WhatsApp conversation, ticking. */
import type { ConversationJson } from '../api/types.ts';
import { useNow } from '../lib/use-now.ts';
import { windowView } from '../lib/window-view.ts';

export function WindowBadge({ conversation, long = false }: { conversation: Pick<ConversationJson, 'channel' | 'window'>; long?: boolean }) {
  const now = useNow(15_000);
  const w = windowView(conversation, now);
  if (!w.applies) return null;
  const tone = !w.open ? 'pill-bad' : w.urgent ? 'pill-warn' : 'pill-ok';
  return (
    <span class={`pill ${tone} window-badge`} title="WhatsApp allows free-form replies for 24 hours after the customer’s last message">
      {long && w.open ? `Reply window: ${w.label}` : w.label}
    </span>
  );
}
