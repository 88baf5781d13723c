/** The state of forwarding to the owner's phone, for Settings → WhatsApp. */
import { windowState, type OwnerForwardingStatusJson } from '@connectdesk/shared';
import type { ForwardsRepo } from '../../db/repos/forwards-repo.ts';
import type { OwnerMessagesRepo } from '../../db/repos/owner-messages-repo.ts';
import type { OwnerQueueRepo } from '../../db/repos/owner-queue-repo.ts';
import type { OwnerStateRepo } from '../../db/repos/owner-state-repo.ts';
import { inQuietHours } from './hold.ts';
import type { OwnerSettingsStore } from './settings-store.ts';
import type { OwnerNumbers, OwnerPairBudget } from './ports.ts';

export interface OwnerStatusDeps {
  numbers: OwnerNumbers;
  queue: OwnerQueueRepo;
  ownerMessages: OwnerMessagesRepo;
  state: OwnerStateRepo;
  forwards: ForwardsRepo;
  budget: OwnerPairBudget;
  settings: OwnerSettingsStore;
  now?: () => number;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export async function ownerForwardingStatus(deps: OwnerStatusDeps): Promise<OwnerForwardingStatusJson> {
  const now = (deps.now ?? Date.now)();
  const { settings, timeZone } = await deps.settings.current();
  const number = await deps.numbers.defaultNumber();
  const owner = number ? deps.numbers.ownerPhoneOf(number) : null;
  const budget = { available: deps.budget.burst, burst: deps.budget.burst, interval_ms: deps.budget.intervalMs };
  const quiet_now = inQuietHours(settings.quiet_hours, timeZone, now);
  if (!number || !owner) {
    return {
      owner: null,
      timezone: timeZone,
      waiting: { conversations: 0, messages: 0 },
      sending: 0,
      muted_until: null,
      quiet_now,
      window_open: false,
      budget,
      pair_limit_hits: 0,
      last_pair_limit_at: null,
    };
  }
  const key = { phoneNumberId: number.phoneNumberId, ownerWaId: owner };
  const [waiting, sending, state, lastInbound, view] = await Promise.all([
    deps.queue.countWaiting(key),
    deps.ownerMessages.countQueued(key),
    deps.state.get(key),
    deps.forwards.ownerLastInboundAt(number.phoneNumberId, owner),
    deps.budget.peek({ phoneNumberId: number.phoneNumberId, waId: owner }),
  ]);
  return {
    owner,
    timezone: timeZone,
    waiting,
    sending,
    muted_until: state.mutedUntil !== null && state.mutedUntil > now ? iso(state.mutedUntil) : null,
    quiet_now,
    window_open: windowState(lastInbound, new Date(now)).open,
    budget: { ...budget, available: view.tokens },
    pair_limit_hits: state.pairLimitHits,
    last_pair_limit_at: iso(state.lastPairLimitAt),
  };
}
