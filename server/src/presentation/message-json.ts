/**
 * A message as agents (and, through VisitorMediaLinks, visitors) receive it: Meta's error explained,
 * its file with the link to open it, the quoted message, reactions, template and the name of the
 * agent who wrote it (or the group member who posted it).
 */
import type { MediaJson, MessageErrorJson, MessageJson } from '@connectdesk/shared';
import { explainMetaError } from '@connectdesk/shared';
import { interactiveReplyOf } from '@connectdesk/shared/quick-replies';
import { bool, fromJson, iso, ms } from '../db/json.ts';
import type { MessageMediaRow, MessageRow, MessagesRepo, QuotedMessage } from '../db/repos/messages-repo.ts';

/** Rows as contract JSON, looking up their media and quoted messages in two queries. */
export async function messagesJson(messages: MessagesRepo, rows: MessageRow[], mediaUrl: (mediaId: string) => string | null): Promise<MessageJson[]> {
  const { media, quoted, authors } = await messages.relatedTo(rows);
  return rows.map((r) =>
    messageJson(
      r,
      r.media_id ? (media.get(r.media_id) ?? null) : null,
      mediaUrl,
      r.context_message_id ? quoted.get(r.context_message_id) : undefined,
      r.author_id ? (authors.get(r.author_id) ?? null) : null,
    ),
  );
}

/** Why a message failed, as agents see it (null: it did not); all it needs is the row (a status notice reads nothing else). */
export function messageErrorJson(r: Pick<MessageRow, 'error_code' | 'error_title' | 'error_detail'>): MessageErrorJson | null {
  if (!r.error_code) return null;
  const info = explainMetaError(r.error_code);
  return {
    code: r.error_code,
    title: r.error_title ?? info.title,
    detail: r.error_detail,
    explanation: info.explanation,
    fix: info.fix,
    retryable: info.retryable,
  };
}

function messageJson(
  r: MessageRow,
  media: MessageMediaRow | null,
  mediaUrl: (mediaId: string) => string | null,
  quoted: QuotedMessage | undefined,
  authorName: string | null,
): MessageJson {
  const error = messageErrorJson(r);
  const mediaJson: MediaJson | null = media
    ? {
        id: media.id,
        mime: media.mime,
        size: ms(media.size),
        filename: media.filename,
        url: media.status === 'ready' ? mediaUrl(media.id) : null,
        ready: media.status === 'ready',
      }
    : null;
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    direction: r.direction,
    sender: r.sender,
    type: r.type,
    text: r.deleted_at ? '' : r.body,
    content: fromJson(r.content, null),
    wamid: r.wamid,
    status: r.status,
    error,
    context: r.context_wamid || r.context_message_id ? { message_id: r.context_message_id, wamid: r.context_wamid, text: quoted?.body ?? null } : null,
    reactions: fromJson(r.reactions, []),
    media: mediaJson,
    template: r.template_name ? { name: r.template_name, language: r.template_language ?? '', parameters: fromJson(r.template_params, []) } : null,
    is_note: bool(r.is_note),
    client_id: r.client_id,
    author_name: groupSenderName(r.content) ?? authorName,
    created_at: iso(r.created_at)!,
    sent_at: iso(r.sent_at),
    edited_at: iso(r.edited_at),
    deleted: Boolean(r.deleted_at),
    interactive_reply: r.type === 'interactive' || r.type === 'button' ? interactiveReplyOf(r.type, fromJson(r.content, null)) : null,
  };
}

/** Who posted a group message (stored by whatsapp/inbound-messages.ts as `group_sender`). */
function groupSenderName(content: string | null): string | null {
  if (!content?.includes('"group_sender"')) return null;
  const g = (fromJson(content, null) as { group_sender?: { name?: string | null; wa_id?: string | null; user_id?: string | null } } | null)?.group_sender;
  if (!g) return null;
  return g.name || (g.wa_id ? `+${g.wa_id}` : null) || g.user_id || null;
}
