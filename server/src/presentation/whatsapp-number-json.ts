/** A business number as the admin app sees it: whether it has a token, never the token. */
import type { WhatsAppNumberJson } from '@connectdesk/shared';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';

export function numberJson(n: WhatsAppNumber): WhatsAppNumberJson {
  return {
    id: n.id,
    phone_number_id: n.phoneNumberId,
    waba_id: n.wabaId,
    display_phone_number: n.displayPhoneNumber,
    verified_name: n.verifiedName,
    has_token: Boolean(n.accessTokenSealed),
    target_phone: n.targetPhone,
    quality_rating: n.qualityRating,
    messaging_tier: n.messagingTier,
    throughput_level: n.throughputLevel,
    token_problem: n.tokenProblem,
    is_default: n.isDefault,
    updated_at: n.updatedAt,
  };
}
