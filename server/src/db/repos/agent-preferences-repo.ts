/**
 * Each agent's notification preferences and presence choice (`agent_preferences`, one row per agent
 * once they change anything; defaults until then), and who wants "unanswered" e-mails.
 */
import type { Knex } from 'knex';
import { DEFAULT_AGENT_PREFERENCES, type AgentPreferences, type AgentPreferencesPatch } from '@connectdesk/shared';
import { bool } from '../json.ts';

interface PreferencesRow {
  user_id: string;
  desktop: boolean | number;
  sound: boolean | number;
  email: boolean | number;
  away_after_minutes: number | string;
  manual_away: boolean | number;
  updated_at: number | string;
}

export interface StoredPreferences extends AgentPreferences {
  /** The agent set themselves away by hand. */
  manualAway: boolean;
}

function toPreferences(r: PreferencesRow | undefined): StoredPreferences {
  if (!r) return { ...DEFAULT_AGENT_PREFERENCES, manualAway: false };
  return {
    desktop: bool(r.desktop),
    sound: bool(r.sound),
    email: bool(r.email),
    away_after_minutes: Number(r.away_after_minutes),
    manualAway: bool(r.manual_away),
  };
}

/** An agent who wants "unanswered" e-mails. */
export interface EmailRecipient {
  userId: string;
  email: string;
  name: string;
}

export class AgentPreferencesRepo {
  constructor(private readonly db: Knex) {}

  async get(userId: string): Promise<StoredPreferences> {
    return toPreferences(await this.db<PreferencesRow>('agent_preferences').where({ user_id: userId }).first());
  }

  private async upsert(userId: string, patch: Partial<Omit<PreferencesRow, 'user_id' | 'updated_at'>>): Promise<void> {
    const now = Date.now();
    await this.db('agent_preferences')
      .insert({ ...DEFAULT_AGENT_PREFERENCES, manual_away: false, ...patch, user_id: userId, updated_at: now })
      .onConflict('user_id')
      .merge({ ...patch, updated_at: now });
  }

  async update(userId: string, patch: AgentPreferencesPatch): Promise<StoredPreferences> {
    await this.upsert(userId, patch);
    return this.get(userId);
  }

  async setManualAway(userId: string, away: boolean): Promise<void> {
    await this.upsert(userId, { manual_away: away });
  }

  /** Agents who set themselves away by hand. */
  async manuallyAway(): Promise<Set<string>> {
    const rows = await this.db<PreferencesRow>('agent_preferences').where({ manual_away: true }).select('user_id');
    return new Set(rows.map((r) => r.user_id));
  }

  /** Active agents with "unanswered" e-mails on; only `userId` when given (the assignee). */
  async emailRecipients(userId?: string): Promise<EmailRecipient[]> {
    const q = this.db('agent_preferences as p')
      .join('users as u', 'u.id', 'p.user_id')
      .where('p.email', true)
      .whereNull('u.disabled_at')
      .select('u.id as userId', 'u.email as email', 'u.name as name')
      .orderBy('u.created_at');
    if (userId) q.where('u.id', userId);
    return (await q) as EmailRecipient[];
  }
}
