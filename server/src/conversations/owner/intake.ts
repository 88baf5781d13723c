/**
 * Flow 1, first half: a visitor message that should reach the owner's phone is queued in
 * `owner_queue` inside the visitor message's own transaction (so an acknowledged message never
 * loses its forward), marked by the policy: `forward` now, `digest` (a later message of a
 * conversation nobody answered yet, policy `first`) or `held` (quiet hours; what arrives during a
 * mute the dispatcher knows from the mute's times). The dispatcher decides what to send and when.
 */
import type { TxRunner } from '../../db/group-commit.ts';
import type { OwnerQueueRepo, QueueMode } from '../../db/repos/owner-queue-repo.ts';
import type { OwnerNumbers } from './ports.ts';
import type { PreparedForward } from '../whatsapp-bridge.ts';
import { inQuietHours } from './hold.ts';
import type { OwnerSettingsStore } from './settings-store.ts';

export interface OwnerIntakeDeps {
  tx: TxRunner;
  numbers: OwnerNumbers;
  queue: OwnerQueueRepo;
  settings: OwnerSettingsStore;
  /** Is an agent signed in to the admin app right now (any node)? For policy `offline`. */
  agentsOnline: () => Promise<boolean>;
  /** The dispatcher: something new waits. */
  wake: () => void;
  now?: () => number;
}

export class OwnerIntake {
  constructor(private readonly deps: OwnerIntakeDeps) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /**
   * What to record for a visitor message about to be stored (null: nothing goes to the owner —
   * no owner phone, or policy `offline` while an agent is online). Reads only.
   */
  async prepare(): Promise<PreparedForward | null> {
    const number = await this.deps.numbers.defaultNumber();
    const owner = number ? this.deps.numbers.ownerPhoneOf(number) : null;
    if (!number || !owner) return null;
    const { settings, timeZone } = await this.deps.settings.current();
    if (settings.policy === 'offline' && (await this.deps.agentsOnline())) return null;
    const key = { phoneNumberId: number.phoneNumberId, ownerWaId: owner };
    const held = inQuietHours(settings.quiet_hours, timeZone, this.now);
    return {
      queue: async (trx, ids) => {
        let mode: QueueMode = held ? 'held' : 'forward';
        if (!held && settings.policy === 'first' && !(await this.deps.queue.startsTurn(ids.conversationId, ids.messageId, trx))) mode = 'digest';
        await this.deps.queue.add({ ...key, conversationId: ids.conversationId, messageId: ids.messageId, mode, at: this.now }, trx);
      },
      queued: () => this.deps.wake(),
    };
  }

  /** A message stored on its own (attachments): queue it in a transaction of its own. */
  async queueStored(ids: { conversationId: string; messageId: string }): Promise<void> {
    const prepared = await this.prepare();
    if (!prepared) return;
    await this.deps.tx((trx) => prepared.queue(trx, ids));
    prepared.queued();
  }
}
