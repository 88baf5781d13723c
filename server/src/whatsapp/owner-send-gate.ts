/**
 * The outbox's side of the owner pair budget: every message to the owner's phone is paid for
 * just before it is sent (forwards and digests leave a couple of messages for commands and
 * help), or deferred — not failed — until the budget has one. If Meta refuses with 131056
 * anyway, the budget is emptied from that answer and the refusal counted for the admin app.
 */
import type { OwnerMessagesRepo } from '../db/repos/owner-messages-repo.ts';
import type { OwnerStateRepo } from '../db/repos/owner-state-repo.ts';
import type { OutboxRow } from '../db/repos/outbox-repo.ts';
import type { Logger } from '../logger.ts';
import { GraphApiError } from './graph-error.ts';
import { JobDeferred } from '../jobs/job.ts';
import type { PairBudget } from './pair-budget.ts';

const PAIR_RATE_CODE = 131056;

export interface OwnerSendGateDeps {
  budget: PairBudget;
  ownerMessages: OwnerMessagesRepo;
  state: OwnerStateRepo;
  /** Tokens forwards and digests leave in the budget. */
  reserve: number;
  logger: Logger;
  now?: () => number;
}

export class OwnerSendGate {
  constructor(private readonly deps: OwnerSendGateDeps) {}

  /** Is this outbox row a message to the owner's phone (paid from the pair budget)? */
  applies(row: OutboxRow): boolean {
    return row.kind === 'owner' && row.to_wa_id !== null;
  }

  /** Pay for the send now, or throw JobDeferred with when to try again. */
  async admit(row: OutboxRow): Promise<void> {
    const message = row.owner_message_id ? await this.deps.ownerMessages.byId(row.owner_message_id) : null;
    const keep = message?.kind === 'forward' || message?.kind === 'digest' ? this.deps.reserve : 0;
    const taken = await this.deps.budget.take({ phoneNumberId: row.phone_number_id, waId: row.to_wa_id! }, keep);
    if (!taken.ok) throw new JobDeferred(taken.retryAt);
  }

  /** Meta's answer to a paid send that failed: on 131056, correct the budget from it. */
  async refused(row: OutboxRow, err: unknown): Promise<void> {
    if (!(err instanceof GraphApiError) || err.code !== PAIR_RATE_CODE) return;
    const key = { phoneNumberId: row.phone_number_id, waId: row.to_wa_id! };
    await this.deps.budget.exhaust(key);
    await this.deps.state.pairLimitHit({ phoneNumberId: row.phone_number_id, ownerWaId: row.to_wa_id! }, (this.deps.now ?? Date.now)());
    this.deps.logger.warn(
      { owner: row.to_wa_id },
      'Meta refused a message to the owner with 131056 (pair rate): the owner budget is corrected and the message waits',
    );
  }
}
