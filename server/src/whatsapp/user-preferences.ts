/**
 * The `user_preferences` webhook field: a customer stopped (`stop`) or resumed (`resume`)
 * marketing messages. Recorded on the contact (created if we never met them, so the preference is
 * not lost); marketing-opt-out.ts refuses MARKETING templates while it stands. Other values
 * (`signup` through a sign-up link) and other categories change nothing.
 */
import { UserPreferencesValueSchema } from '@connectdesk/shared';
import type { TxRunner } from '../db/group-commit.ts';
import type { ContactsRepo } from '../db/repos/contacts-repo.ts';

export interface UserPreferencesDeps {
  tx: TxRunner;
  contacts: ContactsRepo;
}

export class UserPreferences {
  constructor(private readonly deps: UserPreferencesDeps) {}

  /** Applies every preference in the change; returns why any could not be applied. */
  async apply(value: Record<string, unknown>): Promise<string[]> {
    const parsed = UserPreferencesValueSchema.safeParse(value);
    if (!parsed.success) return [`user_preferences change: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`];
    const unusable: string[] = [];
    const contacts = parsed.data.contacts ?? [];
    for (const pref of parsed.data.user_preferences) {
      if (pref.category !== 'marketing_messages' || (pref.value !== 'stop' && pref.value !== 'resume')) continue;
      // The contact entry of this user: the one with the same wa_id, or the lone one when the
      // preference names no number (a username user).
      const entry = pref.wa_id ? contacts.find((c) => c.wa_id === pref.wa_id) : contacts.length === 1 ? contacts[0] : undefined;
      const waId = pref.wa_id ?? entry?.wa_id ?? null;
      const userId = pref.user_id ?? entry?.user_id ?? null;
      if (!waId && !userId) {
        unusable.push('user_preferences entry names neither a wa_id nor a user_id');
        continue;
      }
      const at = pref.value === 'stop' ? Number(pref.timestamp) * 1000 : null;
      await this.deps.tx(async (trx) => {
        const contact = await this.deps.contacts.upsertWhatsApp({ waId, userId, name: entry?.profile?.name?.trim() || null }, trx);
        await this.deps.contacts.setMarketingOptOut(contact.id, at, trx);
      });
    }
    return unusable;
  }
}
