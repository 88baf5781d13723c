/**
 * WhatsApp's customer-service window: free-form messages are allowed for 24 hours after the
 * customer's last inbound message (Meta's `timestamp`, not our arrival time). Templates always.
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WindowState {
  open: boolean;
  /** ISO time the window closes (or closed); null when the customer never wrote. */
  closes_at: string | null;
}

export function windowClosesAt(lastCustomerMessageAt: Date | string | number | null | undefined): Date | null {
  if (lastCustomerMessageAt === null || lastCustomerMessageAt === undefined) return null;
  const t = new Date(lastCustomerMessageAt).getTime();
  if (Number.isNaN(t)) return null;
  return new Date(t + WINDOW_MS);
}

export function windowState(lastCustomerMessageAt: Date | string | number | null | undefined, now: Date = new Date()): WindowState {
  const closes = windowClosesAt(lastCustomerMessageAt);
  if (!closes) return { open: false, closes_at: null };
  return { open: closes.getTime() > now.getTime(), closes_at: closes.toISOString() };
}

/** "23h 12m left", "12m left", "closed". For display only; the server decides. */
export function formatWindowLeft(closesAt: string | null, now: Date = new Date()): string {
  if (!closesAt) return 'closed';
  const ms = new Date(closesAt).getTime() - now.getTime();
  if (ms <= 0) return 'closed';
  const totalMin = Math.floor(ms / 60000);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return h > 0 ? `${h}h ${m}m left` : `${m}m left`;
}
