/** Keyboard containment inside the shadow root while the chat is open (Tab cycles, Escape closes). */
const FOCUSABLE =
  'button:not([disabled]),a[href],input:not([disabled]):not([type="hidden"]),textarea:not([disabled]),select:not([disabled]),[tabindex]:not([tabindex="-1"])';

function tabbables(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden]'));
}

export function trapKeydown(root: ShadowRoot, e: KeyboardEvent, onEscape: () => void): void {
  if (e.key === 'Escape') {
    e.preventDefault();
    onEscape();
    return;
  }
  if (e.key !== 'Tab') return;
  const items = tabbables(root);
  if (!items.length) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const active = root.activeElement;
  if (e.shiftKey && (active === first || !active)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !active)) {
    e.preventDefault();
    first.focus();
  }
}
