/**
 * An agent's image, full size over the chat: a modal dialog (its own styles, loaded with this chunk
 * on the first tap) that closes with its button, Escape or a tap outside the picture.
 */
import { useEffect, useRef } from 'preact/hooks';

const CSS =
  '.lb{position:fixed;inset:0;z-index:10;background:rgba(0,0,0,.85);display:flex;align-items:center;justify-content:center;padding:48px 12px 12px}' +
  '.lb img{max-width:100%;max-height:100%;object-fit:contain;border-radius:6px}' +
  '.lb button{position:absolute;top:8px;inset-inline-end:8px;min-width:40px;height:40px;border:0;border-radius:20px;background:#fff;color:#111;font:inherit;font-size:20px;cursor:pointer}';

export function Lightbox({ src, alt, closeLabel, onClose }: { src: string; alt: string; closeLabel: string; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = (close.current?.getRootNode() as Document | ShadowRoot | undefined)?.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => opener?.focus();
  }, []);
  return (
    <div
      class="lb"
      role="dialog"
      aria-modal="true"
      aria-label={alt}
      onClick={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => {
        if (e.key === 'Escape' || e.key === 'Tab') {
          e.preventDefault();
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
        }
      }}
    >
      <style>{CSS}</style>
      <img src={src} alt={alt} />
      <button type="button" ref={close} aria-label={closeLabel} onClick={onClose}>
        ×
      </button>
    </div>
  );
}
