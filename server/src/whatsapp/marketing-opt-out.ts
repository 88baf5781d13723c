/**
 * Marketing opt-outs: a customer who stopped marketing messages on WhatsApp (Meta's
 * `user_preferences` webhook) gets no MARKETING template until they resume. Refused before
 * anything is stored or queued, with a reason the agent can act on; Meta would otherwise accept
 * the send and fail it with 131050.
 */
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import { AppError } from '../errors.ts';

export function refuseMarketingToOptedOut(contact: Pick<ContactRow, 'marketing_opted_out_at'>, category: string | null | undefined): void {
  if (contact.marketing_opted_out_at === null || contact.marketing_opted_out_at === undefined) return;
  if ((category ?? '').toUpperCase() !== 'MARKETING') return;
  const since = new Date(Number(contact.marketing_opted_out_at)).toISOString();
  throw new AppError(
    'marketing_opted_out',
    `this customer stopped marketing messages on WhatsApp (${since}): send a utility template or a reply inside the 24-hour window instead; marketing resumes when they turn it back on`,
  );
}
