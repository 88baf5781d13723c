/**
 * A conversation as agents receive it (REST and socket events): its contact, the visitor's details
 * for web chats, and the 24-hour window as the server computes it.
 */
import type { ConversationJson } from '@connectdesk/shared';
import { avatarColor, generatedVisitorName, windowState } from '@connectdesk/shared';
import { visitorDetails } from './visitor-details.ts';
import { bool, iso, ms } from '../db/json.ts';
import type { ConversationWithContact } from '../db/repos/conversations-repo.ts';

export function conversationJson(r: ConversationWithContact, now = new Date()): ConversationJson {
  const waWindow = r.channel === 'whatsapp' || r.c_wa_id ? windowState(ms(r.last_customer_message_at), now) : { open: true, closes_at: null };
  return {
    id: r.id,
    channel: r.channel,
    status: r.status,
    contact: {
      id: r.contact_id,
      name: r.c_name,
      wa_id: r.c_wa_id,
      user_id: r.c_user_id,
      email: r.c_email,
      phone: r.c_phone,
      phone_verified: r.c_phone !== null && (r.c_wa_id !== null || r.c_phone_verified_at !== null),
      phone_verified_at: iso(r.c_phone_verified_at),
      ...(r.channel === 'web' ? { ...visitorDetails(r.c_meta), generated_name: generatedVisitorName(r.contact_id) } : {}),
      color: avatarColor(r.contact_id),
      ...(r.channel === 'whatsapp' ? { marketing_opted_out_at: iso(r.c_marketing_opted_out_at) } : {}),
    },
    // Web chats have no WhatsApp window: replies go to the widget and are always allowed.
    window: r.channel === 'web' ? { open: true, closes_at: null } : waWindow,
    last_message_at: iso(r.last_message_at),
    last_message_preview: r.last_message_preview,
    unread: Number(r.unread_count),
    assignee_id: r.assignee_id,
    whatsapp_consent: bool(r.c_consent),
    group: r.c_whatsapp_group_id ? { id: r.c_whatsapp_group_id } : null,
    created_at: iso(r.created_at)!,
  };
}
