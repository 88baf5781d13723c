/**
 * The composer's emoji button: the first press loads the picker (emoji-picker-element and its
 * data, served by this server — no CDN) as a chunk of its own; a pick is inserted at the caret.
 * Escape or a click elsewhere closes it, and focus goes back where it was.
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { SmileIcon } from './icons.tsx';

type PickerView = typeof import('./emoji-picker.tsx').EmojiPicker;

/** `text` with `emoji` in place of the field's selection; the caret's new place. */
export function insertAt(text: string, emoji: string, start: number, end: number): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { value: text.slice(0, s) + emoji + text.slice(e), caret: s + emoji.length };
}

export function EmojiButton({ target, onInsert }: { target: RefObject<HTMLTextAreaElement>; onInsert: (value: string) => void }) {
  const [Picker, setPicker] = useState<PickerView | null>(null);
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  /** Fixed above the button (the composer scrolls, and would clip a popover inside it). */
  const [place, setPlace] = useState<Record<string, string>>({});
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => !e.composedPath().includes(wrap.current!) && setOpen(false);
    const resized = () => setOpen(false);
    document.addEventListener('mousedown', outside);
    window.addEventListener('resize', resized);
    return () => {
      document.removeEventListener('mousedown', outside);
      window.removeEventListener('resize', resized);
    };
  }, [open]);

  function toggle() {
    if (open) return setOpen(false);
    const r = button.current!.getBoundingClientRect();
    setPlace({
      bottom: `${window.innerHeight - r.top + 4}px`,
      right: `${Math.max(4, window.innerWidth - r.right)}px`,
      height: `${Math.max(160, Math.min(352, r.top - 12))}px`,
    });
    setOpen(true);
    if (!Picker)
      import('./emoji-picker.tsx').then(
        (m) => setPicker(() => m.EmojiPicker),
        () => setFailed(true),
      );
  }

  function pick(emoji: string) {
    const field = target.current;
    if (!field) return;
    const { value, caret } = insertAt(field.value, emoji, field.selectionStart ?? field.value.length, field.selectionEnd ?? field.value.length);
    onInsert(value);
    setOpen(false);
    requestAnimationFrame(() => {
      field.focus();
      field.setSelectionRange(caret, caret);
    });
  }

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  return (
    <div class="popover-wrap" ref={wrap}>
      <button
        ref={button}
        type="button"
        class="btn btn-ghost"
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-label="Insert emoji"
        title="Insert emoji"
        onClick={toggle}
      >
        <SmileIcon /> Emoji
      </button>
      {open && (
        <div
          class="emoji-popover"
          style={place}
          role="dialog"
          aria-label="Emoji picker"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          {Picker ? (
            <Picker onPick={pick} />
          ) : (
            <p class="popover muted" role="status">
              {failed ? 'Could not load the emoji picker. Check your connection.' : 'Loading emoji…'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
