/**
 * `POST /{phone-number-id}/messages`: sends (checked like Meta, answered with a wamid, followed by
 * status webhooks) and mark-as-read (`{ status: "read", message_id }`, optional typing indicator).
 */
import type { Context } from 'koa';
import { MarkReadSchema } from '@connectdesk/shared';
import type { SandboxContext } from './context.ts';
import { MetaError, metaErrors, webhookError } from './errors.ts';
import { newWamid } from './ids.ts';
import { readGraphFields } from './request-body.ts';
import { checkSend } from './send-rules.ts';
import { applyBusinessReaction } from './business-reactions.ts';
import type { InboxEntry } from './state.ts';
import type { Outcome } from './status-flow.ts';
import type { BookTemplate } from './template-book.ts';

const MAX_BODY_BYTES = 1024 * 1024;

export const graphBodyError = (message: string, status: number) =>
  status === 413 ? new MetaError(413, 100, '(#100) Invalid parameter', message) : metaErrors.invalidParameter(message);

export async function postMessages(ctx: Context, sb: SandboxContext): Promise<void> {
  const fields = await readGraphFields(ctx, MAX_BODY_BYTES, graphBodyError);
  if (fields.status !== undefined) return markRead(ctx, sb, fields);

  if (!sb.limits.takeThroughput(sb.business.phoneNumberId)) throw metaErrors.throughput();
  const checked = checkSend(fields, sb.state, sb.templates);
  const fault = sb.faults.takeForSend();
  if (fault === 'spam_rate_limit') throw metaErrors.spamRateLimit();
  if (checked.to === sb.business.displayPhoneNumber) throw metaErrors.selfRecipient();
  if (sb.allowedRecipients && !checked.group && !sb.allowedRecipients.has(checked.to)) throw metaErrors.notAllowed();
  if (!sb.limits.takePair(sb.business.phoneNumberId, checked.to)) throw metaErrors.pairRate();

  const wamid = newWamid(checked.to);
  const windowOpen = sb.state.windowOpen(checked.to);
  const stopped = checked.template?.category === 'MARKETING' && sb.state.peek(checked.to).marketingStopped;
  const entry: InboxEntry = { wamid, ...checked.view, status: 'accepted', errors: [], timestamp: new Date(sb.now()).toISOString() };
  sb.state.recordOutbound(checked.to, entry);
  const unreactable = entry.type === 'reaction' ? applyBusinessReaction(sb.state, checked.to, entry.message) : null;
  sb.flow.start(
    wamid,
    checked.to,
    fault === 'ecosystem_limit' ? ECOSYSTEM_LIMIT : stopped ? MARKETING_STOPPED : (unreactable ?? outcomeOf(checked.template, windowOpen)),
  );
  sb.logger.debug({ to: checked.to, type: entry.type, wamid }, 'sandbox accepted a send');

  ctx.body = {
    messaging_product: 'whatsapp',
    contacts: [checked.contact],
    messages: [{ id: wamid, ...(checked.template ? { message_status: 'accepted' } : {}) }],
  };
}

/** Like Meta: a MARKETING template to a user who stopped marketing messages is accepted, then fails. */
const MARKETING_STOPPED: Outcome = {
  kind: 'fail',
  error: webhookError(
    131050,
    'User stopped marketing messages',
    'Unable to deliver the marketing message: the user has stopped marketing messages from this business.',
  ),
};

/** Meta's per-user marketing limit: the send is accepted, then fails with 131049. */
const ECOSYSTEM_LIMIT: Outcome = {
  kind: 'fail',
  error: webhookError(
    131049,
    'This message was not delivered to maintain healthy ecosystem engagement.',
    'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  ),
};

/** Free-form messages need the window; templates are billed by category unless free inside it. */
function outcomeOf(template: BookTemplate | null, windowOpen: boolean): Outcome {
  if (!template) {
    if (!windowOpen) {
      return {
        kind: 'fail',
        error: webhookError(
          131047,
          'Re-engagement message',
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        ),
      };
    }
    return { kind: 'deliver', pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' } };
  }
  const category = template.category.toLowerCase();
  const free = windowOpen && template.category === 'UTILITY';
  return { kind: 'deliver', pricing: { billable: !free, pricing_model: 'PMP', type: free ? 'free_customer_service' : 'regular', category } };
}

function markRead(ctx: Context, sb: SandboxContext, fields: Record<string, unknown>): void {
  const parsed = MarkReadSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw metaErrors.invalidParameter(`Param ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const found = sb.state.inboundMessage(parsed.data.message_id);
  if (!found) throw metaErrors.invalidParameter(`Invalid message_id: ${parsed.data.message_id} is not a message this number received.`);
  found.message.read_by_business = true;
  if (parsed.data.typing_indicator) {
    const phone = sb.state.phones.get(found.waId);
    if (phone) phone.lastTypingAt = sb.now();
  }
  ctx.body = { success: true };
}
