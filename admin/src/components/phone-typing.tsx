/**
 * Sandbox: "typing…" on a simulated phone while WhatsApp would show the business's typing
 * indicator — for 25 seconds after it was sent, or until the business's next message arrives.
 */
import { useNow } from '../lib/use-now.ts';
import type { PhoneInboxItem } from '../api/types.ts';

export const TYPING_SHOWN_MS = 25_000;

/** Is the indicator sent at `at` still shown at `now`, given what the phone received since? */
export function typingShown(at: string | null, inbox: Pick<PhoneInboxItem, 'timestamp'>[], now: number): boolean {
  if (!at) return false;
  const sent = Date.parse(at);
  if (!Number.isFinite(sent) || now - sent >= TYPING_SHOWN_MS || now < sent - 5_000) return false;
  return !inbox.some((i) => Date.parse(i.timestamp) >= sent);
}

export function PhoneTyping({ at, inbox }: { at: string | null; inbox: Pick<PhoneInboxItem, 'timestamp'>[] }) {
  const now = useNow(1_000);
  return (
    <p class="phone-typing muted" role="status" aria-live="polite">
      {typingShown(at, inbox, now.getTime()) ? 'typing…' : ''}
    </p>
  );
}
