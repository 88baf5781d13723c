/**
 * What the owner console keeps between messages, per business number and owner: a mute
 * (`#mute 1h`), whom the owner last answered (where a plain reply goes), when the last help
 * message went out, and how often Meta refused a message to the owner with 131056 anyway.
 */
import type { Knex } from 'knex';
import { ms } from '../json.ts';
import type { OwnerKey } from './owner-queue-repo.ts';

export interface OwnerState {
  mutedFrom: number | null;
  mutedUntil: number | null;
  answeredConversationId: string | null;
  answeredAt: number | null;
  helpAt: number | null;
  pairLimitHits: number;
  lastPairLimitAt: number | null;
}

interface OwnerStateRow {
  muted_from: unknown;
  muted_until: unknown;
  answered_conversation_id: string | null;
  answered_at: unknown;
  help_at: unknown;
  pair_limit_hits: unknown;
  last_pair_limit_at: unknown;
}

const EMPTY: OwnerState = {
  mutedFrom: null,
  mutedUntil: null,
  answeredConversationId: null,
  answeredAt: null,
  helpAt: null,
  pairLimitHits: 0,
  lastPairLimitAt: null,
};

export class OwnerStateRepo {
  constructor(private readonly db: Knex) {}

  async get(key: OwnerKey, trx: Knex = this.db): Promise<OwnerState> {
    const r = (await trx('owner_state').where({ phone_number_id: key.phoneNumberId, wa_id: key.ownerWaId }).first()) as OwnerStateRow | undefined;
    if (!r) return EMPTY;
    return {
      mutedFrom: ms(r.muted_from),
      mutedUntil: ms(r.muted_until),
      answeredConversationId: r.answered_conversation_id,
      answeredAt: ms(r.answered_at),
      helpAt: ms(r.help_at),
      pairLimitHits: Number(r.pair_limit_hits ?? 0),
      lastPairLimitAt: ms(r.last_pair_limit_at),
    };
  }

  private async upsert(key: OwnerKey, patch: Record<string, unknown>, trx: Knex = this.db): Promise<void> {
    const now = Date.now();
    await trx('owner_state')
      .insert({ phone_number_id: key.phoneNumberId, wa_id: key.ownerWaId, pair_limit_hits: 0, ...patch, updated_at: now })
      .onConflict(['phone_number_id', 'wa_id'])
      .merge({ ...patch, updated_at: now });
  }

  mute(key: OwnerKey, from: number, until: number): Promise<void> {
    return this.upsert(key, { muted_from: from, muted_until: until });
  }

  /** Ends a mute now; what waited through it still counts as held (it goes out as one digest). */
  unmute(key: OwnerKey, at: number): Promise<void> {
    return this.upsert(key, { muted_until: at });
  }

  answered(key: OwnerKey, conversationId: string, at: number, trx?: Knex): Promise<void> {
    return this.upsert(key, { answered_conversation_id: conversationId, answered_at: at }, trx);
  }

  helpSent(key: OwnerKey, at: number): Promise<void> {
    return this.upsert(key, { help_at: at });
  }

  async pairLimitHit(key: OwnerKey, at: number): Promise<void> {
    await this.upsert(key, { last_pair_limit_at: at });
    await this.db('owner_state').where({ phone_number_id: key.phoneNumberId, wa_id: key.ownerWaId }).increment('pair_limit_hits', 1);
  }
}
