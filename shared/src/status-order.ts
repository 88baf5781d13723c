/**
 * The order of an outbound message's statuses: `queued → sent → delivered → read`, never
 * backwards (Meta sends them out of order and more than once). `failed` is final, and so is
 * `read`: a message the customer read was delivered, whatever a later `failed` says.
 */
const STATUS_RANK: Readonly<Record<string, number>> = { queued: 0, received: 0, sent: 1, delivered: 2, read: 3, played: 3, failed: 4 };

export function isStatusAdvance(from: string, to: string): boolean {
  if (from === 'failed') return false;
  if (to === 'failed') return from !== 'read' && from !== 'played';
  return (STATUS_RANK[to] ?? -1) > (STATUS_RANK[from] ?? -1);
}

/**
 * The stored statuses a change to `to` leaves alone (`isStatusAdvance` false for each), so one
 * conditional `UPDATE … WHERE status NOT IN (…)` advances a row without reading it first; a stored
 * status not listed here advances, as `isStatusAdvance` says. Null when `to` is no status at all:
 * nothing advances to it.
 */
export function statusesNotAdvancingTo(to: string): string[] | null {
  if (!(to in STATUS_RANK)) return null;
  return Object.keys(STATUS_RANK).filter((from) => !isStatusAdvance(from, to));
}
