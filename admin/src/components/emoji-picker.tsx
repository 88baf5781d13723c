/**
 * The emoji picker itself (its own chunk, loaded on the first press of the emoji button):
 * emoji-picker-element — categories, search by name, keyboard navigation, skin tones, recently
 * used — with its English data file bundled as one of our assets, so nothing is fetched from a
 * third party. The picker keeps the data in IndexedDB and revalidates it by ETag.
 */
import { useEffect, useRef } from 'preact/hooks';
import { Picker } from 'emoji-picker-element';
import type { EmojiClickEvent } from 'emoji-picker-element/shared';
import dataSource from 'emoji-picker-element-data/en/emojibase/data.json?url';

export function EmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const picker = new Picker({ dataSource, locale: 'en' });
    // The agent's own choice of light or dark (Settings → Your account) wins over the system's.
    const theme = document.documentElement.dataset.theme;
    if (theme === 'light' || theme === 'dark') picker.classList.add(theme);
    picker.addEventListener('emoji-click', (e: EmojiClickEvent) => {
      if (e.detail.unicode) pick.current(e.detail.unicode);
    });
    host.current!.appendChild(picker);
    // Keyboard first: the search field has focus as soon as the picker shows.
    const focus = () => picker.shadowRoot?.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
    const timer = setTimeout(focus, 0);
    return () => {
      clearTimeout(timer);
      picker.remove();
    };
  }, []);

  return <div ref={host} />;
}
