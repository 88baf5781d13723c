/**
 * The visitor's reaction to a reply: six common emoji as toggle buttons (the chosen one is
 * pressed; tapping it again takes the reaction back), sent over the socket's `reaction` and
 * applied from its ack. Loaded with its styles and words the first time the visitor opens it.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatItem } from '../chat/chat-items.ts';
import type { ChatSession } from '../chat/chat-session.ts';

const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/** [the picker's name, what failed]. */
const WORDS: Record<string, [string, string] | undefined> = {
  en: ['Choose a reaction', 'Could not react. Try again.'],
  es: ['Elige una reacción', 'No se pudo reaccionar. Inténtalo de nuevo.'],
  pt: ['Escolha uma reação', 'Não foi possível reagir. Tente de novo.'],
  bn: ['একটি প্রতিক্রিয়া বেছে নিন', 'প্রতিক্রিয়া পাঠানো যায়নি। আবার চেষ্টা করুন।'],
  ar: ['اختر تفاعلًا', 'تعذّر إرسال التفاعل. حاول مرة أخرى.'],
};

const CSS = `.rp{display:flex;flex-wrap:wrap;align-items:center;gap:2px;margin:4px 0 0;padding:3px;border:1px solid var(--ln);border-radius:18px;background:var(--bg)}
.rp button{width:32px;height:32px;padding:0;border:0;border-radius:50%;background:none;font-size:18px;line-height:32px;cursor:pointer}
.rp button:hover{background:var(--hv)}
.rp button[aria-pressed=true]{background:var(--hv);box-shadow:inset 0 0 0 2px var(--fc)}
.rp button:focus-visible{outline:2px solid var(--fc);outline-offset:1px}
.rp [role=alert]{flex-basis:100%;padding:2px 6px;font-size:12px;color:var(--bad)}`;

const ACK_TIMEOUT = 15_000;

export function ReactionPicker({ item, session, lang, onClose }: { item: ChatItem; session: ChatSession; lang: string; onClose: () => void }) {
  const [label, failed] = WORDS[lang] ?? WORDS.en!;
  const [error, setError] = useState(false);
  const [busy, setBusy] = useState(false);
  const group = useRef<HTMLDivElement>(null);
  const mine = item.reactions?.find((r) => r.from === 'visitor')?.emoji ?? '';
  // Focus moves in the same commit that shows the picker: a key pressed as it appears lands on an emoji, not on the toggle.
  useLayoutEffect(() => group.current?.querySelector('button')?.focus(), []);

  async function pick(emoji: string) {
    if (busy) return;
    const socket = session.connected();
    if (!socket || !item.id) return setError(true);
    setBusy(true);
    setError(false);
    try {
      const res = await socket.timeout(ACK_TIMEOUT).emitWithAck('reaction', { message_id: item.id, emoji: emoji === mine ? '' : emoji });
      if (!res.ok) throw new Error(res.error.message);
      session.stored(res.message);
      onClose();
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="rp" role="group" aria-label={label} ref={group} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <style>{CSS}</style>
      {REACTION_EMOJI.map((emoji) => (
        <button key={emoji} type="button" aria-pressed={emoji === mine} onClick={() => void pick(emoji)}>
          {emoji}
        </button>
      ))}
      {error && <span role="alert">{failed}</span>}
    </div>
  );
}
