/**
 * Flow 2: whom an owner's reply is for, and passing it on.
 *
 * - A swipe-reply to a forward answers that visitor (also forwards sent before digests existed).
 * - A reply to a digest or `#list` starts with line numbers: "2 yes, 4 left" answers two visitors.
 * - A plain message goes to the visitor the owner last answered or last heard from (a forward) —
 *   unless a digest or list arrived after both; then it must start with a line number (a list of
 *   one line takes it as it is).
 *
 * Passed on, the owner's message gets WhatsApp's read receipt (blue ticks) as the acknowledgement,
 * which costs nothing from the pair budget. A reply that cannot be placed gets one short help
 * message (at most one every HELP_GAP_MS), and is not marked read.
 */
import type { InboundMessage } from '@connectdesk/shared';
import type { TxRunner } from '../../db/group-commit.ts';
import type { ForwardsRepo } from '../../db/repos/forwards-repo.ts';
import type { MediaRepo } from '../../db/repos/media-repo.ts';
import type { MessageRow, MessagesRepo } from '../../db/repos/messages-repo.ts';
import { linesOf, type OwnerMessageRow, type OwnerMessagesRepo } from '../../db/repos/owner-messages-repo.ts';
import type { OwnerKey } from '../../db/repos/owner-queue-repo.ts';
import type { OwnerStateRepo } from '../../db/repos/owner-state-repo.ts';
import { summarizeMessage } from '@connectdesk/shared/cloud-api/inbound-summary';
import type { ConversationLog } from '../conversation-log.ts';
import { AMBIGUOUS_TEXT, NOBODY_TEXT } from './compose.ts';
import { parseNumbered } from './numbered-reply.ts';

const HELP_GAP_MS = 15_000;

/** One visitor's share of the owner's message; `text` null = the whole message as sent. */
interface Part {
  conversationId: string;
  contextMessageId: string | null;
  text: string | null;
}

type Placement = { parts: Part[] } | { help: string };

export interface OwnerRepliesDeps {
  tx: TxRunner;
  messages: MessagesRepo;
  media: MediaRepo;
  ownerMessages: OwnerMessagesRepo;
  /** Forwards sent before owner_messages existed: swipe-replies to them still work. */
  legacyForwards: ForwardsRepo;
  state: OwnerStateRepo;
  log: ConversationLog;
  onMedia: () => void;
  /** Queue a read receipt for the owner's message (the outbox's mark_read). */
  markRead: (key: OwnerKey, wamid: string) => Promise<void>;
  /** Queue a short message to the owner, answering their message `inReplyTo`. */
  notice: (key: OwnerKey, text: string, inReplyTo: string) => Promise<void>;
  now?: () => number;
}

const DUPLICATE = new Error('duplicate'); // thrown to roll back, recognised by identity

export class OwnerReplies {
  constructor(private readonly deps: OwnerRepliesDeps) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async route(key: OwnerKey, msg: InboundMessage, sentAt: number): Promise<void> {
    if (await this.deps.messages.byWamid(msg.id)) return; // a repeated webhook: routed already
    const text = msg.type === 'text' ? summarizeMessage(msg).body : null;
    const placement = await this.place(key, msg.context?.id ?? null, text);
    if ('help' in placement) return this.help(key, placement.help, msg.id);
    const rows = await this.store(msg, placement.parts, sentAt);
    if (!rows) return;
    await this.deps.state.answered(key, placement.parts[placement.parts.length - 1]!.conversationId, this.now);
    for (const row of rows) await this.deps.log.announce(row);
    if (rows.some((r) => r.media_id)) this.deps.onMedia();
    await this.deps.markRead(key, msg.id);
  }

  private async place(key: OwnerKey, quotedWamid: string | null, text: string | null): Promise<Placement> {
    if (quotedWamid) {
      const quoted = await this.deps.ownerMessages.byWamid(quotedWamid);
      if (quoted?.kind === 'forward' && quoted.conversation_id)
        return { parts: [{ conversationId: quoted.conversation_id, contextMessageId: quoted.message_id, text: null }] };
      if (quoted?.kind === 'digest' || quoted?.kind === 'list') return this.byNumbers(quoted, text, false);
      const legacy = quoted ? null : await this.deps.legacyForwards.byWamid(quotedWamid);
      if (legacy) return { parts: [{ conversationId: legacy.conversation_id, contextMessageId: legacy.message_id, text: null }] };
      // A quoted notice (or something unknown): read it as a plain message.
    }
    const numbered = await this.deps.ownerMessages.latestNumbered(key);
    const single = await this.lastSingle(key);
    if (numbered && (!single || Number(numbered.sent_at) > single.at)) return this.byNumbers(numbered, text, true);
    if (single) return { parts: [{ conversationId: single.conversationId, contextMessageId: single.messageId, text: null }] };
    return { help: NOBODY_TEXT };
  }

  /** Lines of a digest or list picked by number; a list of one line also takes a plain reply. */
  private byNumbers(list: OwnerMessageRow, text: string | null, plainTakesOnlyLine: boolean): Placement {
    const lines = linesOf(list).filter((l) => l.n !== null);
    const byN = new Map(lines.map((l) => [l.n!, l]));
    const parts = text ? parseNumbered(text, new Set(byN.keys())) : null;
    if (parts)
      return { parts: parts.map((p) => ({ conversationId: byN.get(p.n)!.conversation_id, contextMessageId: byN.get(p.n)!.message_id, text: p.text })) };
    if (lines.length === 1 && (plainTakesOnlyLine || text !== null))
      return { parts: [{ conversationId: lines[0]!.conversation_id, contextMessageId: lines[0]!.message_id, text: null }] };
    return { help: AMBIGUOUS_TEXT };
  }

  /** The visitor last answered or last forwarded on its own, whichever is later. */
  private async lastSingle(key: OwnerKey): Promise<{ conversationId: string; messageId: string | null; at: number } | null> {
    const state = await this.deps.state.get(key);
    const forward = await this.deps.ownerMessages.latestSent(key, ['forward']);
    const forwardAt = forward ? Number(forward.sent_at) : -1;
    if (state.answeredConversationId && state.answeredAt !== null && state.answeredAt >= forwardAt) {
      return { conversationId: state.answeredConversationId, messageId: null, at: state.answeredAt };
    }
    return forward?.conversation_id ? { conversationId: forward.conversation_id, messageId: forward.message_id, at: forwardAt } : null;
  }

  private async help(key: OwnerKey, text: string, wamid: string): Promise<void> {
    const state = await this.deps.state.get(key);
    if (state.helpAt !== null && this.now - state.helpAt < HELP_GAP_MS) return;
    if (await this.deps.ownerMessages.answered(wamid)) return;
    await this.deps.state.helpSent(key, this.now);
    await this.deps.notice(key, text, wamid);
  }

  /** The owner's message as outbound messages of the visitors' conversations; null if stored already. */
  private async store(msg: InboundMessage, parts: Part[], sentAt: number): Promise<MessageRow[] | null> {
    const summary = summarizeMessage(msg);
    const now = this.now;
    return this.deps
      .tx(async (trx) => {
        const media = summary.media
          ? await this.deps.media.createInbound(
              { metaMediaId: summary.media.metaMediaId, mime: summary.media.mime, expectedSha256: summary.media.sha256, filename: summary.media.filename },
              trx,
            )
          : null;
        const rows: MessageRow[] = [];
        for (const [i, part] of parts.entries()) {
          const whole = part.text === null;
          const row = await this.deps.log.appendOnce(
            {
              conversationId: part.conversationId,
              channel: 'web', // the owner answers web visitors
              direction: 'outbound',
              sender: 'owner',
              type: whole ? summary.type : 'text',
              body: whole ? summary.body : part.text!,
              content: whole ? msg : { text: { body: part.text } },
              // One WhatsApp message answering several visitors: the first part keeps Meta's id.
              wamid: i === 0 ? msg.id : `${msg.id}#${i + 1}`,
              status: 'sent',
              contextMessageId: part.contextMessageId,
              mediaId: whole ? (media?.id ?? null) : null,
              sentAt,
              createdAt: now,
            },
            trx,
          );
          if (!row) throw DUPLICATE;
          rows.push(row);
        }
        return rows;
      })
      .catch((err: unknown) => {
        if (err === DUPLICATE) return null;
        throw err;
      });
  }
}
