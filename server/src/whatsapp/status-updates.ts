/**
 * Status webhooks: applied to outbound messages only, and `sent → delivered → read` only move
 * forward (Meta sends them out of order and more than once; shared/status-order.ts); `read` is
 * final against a later `failed`; `failed` keeps Meta's code, title and details. A status for a forward to the
 * owner updates owner_messages (or, for forwards sent before those existed, the forwards table). A status whose wamid we do not know yet (it can beat the
 * send's own answer) waits in pending_statuses until the wamid is stored. Meta's `pricing` object
 * (category, pricing model, whether it is billable) is kept on the message or forward, with the
 * recipient's calling code, for the cost estimate in the reports.
 */
import type { MessageStatus, Status, WebhookError } from '@connectdesk/shared';
import { callingCode, explainMetaError } from '@connectdesk/shared';
import type { TxRunner } from '../db/group-commit.ts';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import type { MessagesRepo, PricingColumns } from '../db/repos/messages-repo.ts';
import type { OwnerMessagesRepo } from '../db/repos/owner-messages-repo.ts';
import type { StoredPricing, WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';

const STATUS_MAP: Record<string, MessageStatus | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read', // a voice message was played: it was read
  failed: 'failed',
};

export interface StatusError {
  code: string;
  title: string;
  detail: string | null;
}

/** Meta's first error of a failed status, as we store it. */
export function statusErrorOf(errors: unknown): StatusError {
  const e = (Array.isArray(errors) ? errors[0] : undefined) as Partial<WebhookError> | undefined;
  if (!e || typeof e.code !== 'number') return { code: 'unknown', title: 'WhatsApp did not say why', detail: null };
  const title = e.title ?? e.message ?? explainMetaError(e.code).title;
  return { code: String(e.code), title, detail: e.error_data?.details ?? (e.message && e.message !== title ? e.message : null) };
}

/** A status's pricing object as stored: billable when its type is `regular` (or, without a type, when Meta says so). */
function pricingOf(st: Status): StoredPricing | null {
  const p = st.pricing;
  if (!p) return null;
  return { category: p.category, pricing_model: p.pricing_model, type: p.type, billable: p.billable, country: callingCode(st.recipient_id) };
}

function pricingColumns(p: StoredPricing): PricingColumns {
  return {
    pricing_category: p.category?.toLowerCase().slice(0, 40) ?? null,
    pricing_model: p.pricing_model?.slice(0, 16) ?? null,
    pricing_type: p.type?.slice(0, 40) ?? null,
    pricing_billable: p.type ? p.type === 'regular' : p.billable === true,
    pricing_country: p.country,
  };
}

/** A message or forward row as read, pricing columns included. */
type PricedRow = Partial<Record<keyof PricingColumns, unknown>>;

const samePricing = (row: PricedRow, p: PricingColumns) =>
  (Object.keys(p) as (keyof PricingColumns)[]).every((k) =>
    k === 'pricing_billable' ? Boolean(row[k]) === p[k] && row[k] !== null : (row[k] ?? null) === p[k],
  );

export interface StatusUpdatesDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  messages: MessagesRepo;
  forwards: ForwardsRepo;
  ownerMessages: OwnerMessagesRepo;
  events: WebhookEventsRepo;
  conversations: Pick<ConversationsRepo, 'closeWindow'>;
  log: ConversationLog;
  now?: () => number;
}

/** Meta's "re-engagement message": the customer's 24-hour window is closed. */
const WINDOW_CLOSED_CODE = '131047';

export class StatusUpdates {
  private readonly events: StatusUpdatesDeps['events'];
  private readonly messages: StatusUpdatesDeps['messages'];
  private readonly ownerMessages: StatusUpdatesDeps['ownerMessages'];
  private readonly forwards: StatusUpdatesDeps['forwards'];
  private readonly log: StatusUpdatesDeps['log'];
  private readonly conversations: StatusUpdatesDeps['conversations'];
  private readonly now: StatusUpdatesDeps['now'];
  private readonly tx: StatusUpdatesDeps['tx'];

  constructor({ tx, events, messages, ownerMessages, forwards, log, conversations, now }: StatusUpdatesDeps) {
    this.tx = tx;
    this.events = events;
    this.messages = messages;
    this.ownerMessages = ownerMessages;
    this.forwards = forwards;
    this.log = log;
    this.conversations = conversations;
    this.now = now;
  }

  async apply(st: Status): Promise<void> {
    const to = STATUS_MAP[st.status];
    if (!to) return; // deleted, warning, …: kept in the raw event, nothing to change
    const pricing = pricingOf(st);
    if (await this.applyTo(st.id, to, st.errors, pricing)) return;
    await this.events.addPendingStatus({ wamid: st.id, status: st.status, errors: st.errors ?? null, pricing });
    // The send's answer may have been stored while we looked: check again, so nothing waits forever.
    await this.flushPending(st.id);
  }

  /** Apply statuses that were waiting for this wamid (called once a send's wamid is stored). */
  async flushPending(wamid: string): Promise<void> {
    if (!(await this.messages.byWamid(wamid)) && !(await this.ownerMessages.byWamid(wamid)) && !(await this.forwards.byWamid(wamid))) return;
    for (const p of await this.events.takePendingStatuses(wamid)) {
      const to = STATUS_MAP[p.status];
      if (to) await this.applyTo(p.wamid, to, p.errors, p.pricing);
    }
  }

  /**
   * False when no message or forward has this wamid. The reads and writes are one group-committed
   * transaction (statuses arriving together share a commit); agents are told after it.
   */
  private async applyTo(wamid: string, to: MessageStatus, errors: unknown, pricing: StoredPricing | null): Promise<boolean> {
    const error = to === 'failed' ? statusErrorOf(errors) : null;
    const columns = pricing ? pricingColumns(pricing) : null;
    const outcome = await this.tx(async (trx) => {
      const message = await this.messages.byWamid(wamid, trx);
      if (message) {
        // Statuses describe what the business sent; one naming a customer's message changes nothing.
        if (message.direction !== 'outbound') return { found: true };
        if (columns && !samePricing(message as PricedRow, columns)) await this.messages.setPricing(message.id, columns, trx);
        if (!(await this.messages.applyStatus(message.id, to, error, trx))) return { found: true };
        // The header must say "window closed" and offer templates, not a countdown and a retry.
        const closed = error?.code === WINDOW_CLOSED_CODE && (await this.conversations.closeWindow(message.conversation_id, this.now?.() ?? Date.now(), trx));
        return { found: true, changed: message, closed };
      }
      const toOwner = await this.ownerMessages.byWamid(wamid, trx);
      if (toOwner) {
        if (columns && !samePricing(toOwner as PricedRow, columns)) await this.ownerMessages.setPricing(toOwner.id, columns, trx);
        await this.ownerMessages.applyStatus(toOwner.id, to, error, trx);
        return { found: true };
      }
      const forward = await this.forwards.byWamid(wamid, trx);
      if (forward) {
        if (columns && !samePricing(forward as PricedRow, columns)) await this.forwards.setPricing(forward.id, columns, trx);
        await this.forwards.applyStatus(forward.id, to, error, trx);
        return { found: true };
      }
      return { found: false };
    });
    if (outcome.changed) {
      await this.log.announceStatusById(outcome.changed.id);
      if (outcome.closed) await this.log.announceConversation(outcome.changed.conversation_id);
    }
    return outcome.found;
  }
}
