/**
 * A status webhook's change to a row of ours (a message, a message to the owner, a legacy forward):
 * forward only, in one conditional UPDATE — `WHERE status NOT IN` the statuses that must stay
 * (shared/src/status-order.ts) — so nothing is read first and two statuses racing each other can
 * never move a row back. `also`: further columns to set with it (Meta's error for `failed`).
 * Returns true when the row changed.
 */
import type { Knex } from 'knex';
import { statusesNotAdvancingTo } from '@connectdesk/shared';

export async function advanceStatus(trx: Knex, table: string, id: string, to: string, also: Record<string, unknown> = {}): Promise<boolean> {
  const kept = statusesNotAdvancingTo(to);
  if (!kept) return false;
  const changed = await trx(table)
    .where({ id })
    .whereNotIn('status', kept)
    .update({ ...also, status: to });
  return changed > 0;
}
