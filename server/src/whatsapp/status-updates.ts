/**
 * Status webhooks: `sent → delivered → read` only move forward (Meta sends them out of order and
 * more than once); `failed` keeps Meta's code, title and details. A status for a forward to the
 * owner updates the forwards table. A status whose wamid we do not know yet (it can beat the
 * send's own answer) waits in pending_statuses until the wamid is stored.
 */
import type { MessageStatus, Status, WebhookError } from '@connectdesk/shared';
import { explainMetaError } from '@connectdesk/shared';
import type { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import type { MessagesRepo } from '../db/repos/messages-repo.ts';
import type { WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import type { MessagePush } from './message-push.ts';

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

export interface StatusUpdatesDeps {
  messages: MessagesRepo;
  forwards: ForwardsRepo;
  events: WebhookEventsRepo;
  push: MessagePush;
}

export class StatusUpdates {
  constructor(private readonly d: StatusUpdatesDeps) {}

  async apply(st: Status): Promise<void> {
    const to = STATUS_MAP[st.status];
    if (!to) return; // deleted, warning, …: kept in the raw event, nothing to change
    if (await this.applyTo(st.id, to, st.errors)) return;
    await this.d.events.addPendingStatus({ wamid: st.id, status: st.status, errors: st.errors ?? null });
    // The send's answer may have been stored while we looked: check again, so nothing waits forever.
    await this.flushPending(st.id);
  }

  /** Apply statuses that were waiting for this wamid (called once a send's wamid is stored). */
  async flushPending(wamid: string): Promise<void> {
    if (!(await this.d.messages.byWamid(wamid)) && !(await this.d.forwards.byWamid(wamid))) return;
    for (const p of await this.d.events.takePendingStatuses(wamid)) {
      const to = STATUS_MAP[p.status];
      if (to) await this.applyTo(p.wamid, to, p.errors);
    }
  }

  /** False when no message or forward has this wamid. */
  private async applyTo(wamid: string, to: MessageStatus, errors: unknown): Promise<boolean> {
    const error = to === 'failed' ? statusErrorOf(errors) : null;
    const message = await this.d.messages.byWamid(wamid);
    if (message) {
      if (await this.d.messages.applyStatus(message.id, to, error)) await this.d.push.statusById(message.id);
      return true;
    }
    const forward = await this.d.forwards.byWamid(wamid);
    if (forward) {
      await this.d.forwards.applyStatus(forward.id, to, error);
      return true;
    }
    return false;
  }
}
