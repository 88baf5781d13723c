/**
 * E-mails agents about conversations nobody answered in time. A conversation waits from its first
 * customer message after our side last wrote (`conversations.waiting_since`); once it has waited
 * the team's `unanswered_after_minutes`, one alert is recorded for that stretch
 * (unanswered_alerts-repo: durable, one per stretch) and e-mailed to the assigned agent — or, when
 * nobody is assigned, to every agent — among those who turned e-mail on. An answer, or resolving
 * the conversation, before the e-mail goes out cancels it.
 */
import { NotificationSettingsSchema, type ConversationJson } from '@connectdesk/shared';
import type { AgentPreferencesRepo } from '../db/repos/agent-preferences-repo.ts';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import { conversationJson } from '../presentation/conversation-json.ts';
import type { SettingsRepo } from '../db/repos/settings-repo.ts';
import type { UnansweredAlert, UnansweredAlertsRepo } from '../db/repos/unanswered-alerts-repo.ts';
import { ms } from '../db/json.ts';
import type { Logger } from '../logger.ts';
import { headerText, type Mailer, type OutgoingMail } from './mailer.ts';

export const NOTIFICATION_SETTINGS_KEY = 'notifications';

const LEASE_MS = 60_000;
const BATCH = 20;
const MAX_ATTEMPTS = 5;

export interface UnansweredAlertsDeps {
  alerts: UnansweredAlertsRepo;
  conversations: ConversationsRepo;
  preferences: AgentPreferencesRepo;
  settings: Pick<SettingsRepo, 'get'>;
  mailer: Mailer;
  /** Where the admin app is, for the link in the e-mail (PUBLIC_URL, else the server's own URL). */
  adminBase: () => string;
  siteName: string;
  logger: Logger;
}

/** How a conversation's customer is named in an e-mail. */
function customerName(c: ConversationJson): string {
  const k = c.contact;
  return k.name?.trim() || (k.wa_id ? `+${k.wa_id}` : null) || k.phone || k.email || k.generated_name || 'A customer';
}

export function unansweredMail(c: ConversationJson, opts: { to: string[]; waitedMs: number; link: string; siteName: string }): OutgoingMail {
  const name = headerText(customerName(c), 80);
  const minutes = Math.max(1, Math.round(opts.waitedMs / 60_000));
  const where = c.channel === 'whatsapp' ? 'WhatsApp' : 'the website chat';
  const preview = (c.last_message_preview ?? '').trim();
  return {
    to: opts.to,
    subject: `Waiting for an answer: ${name}`,
    text: [
      `${name} has been waiting ${minutes} minute${minutes === 1 ? '' : 's'} for an answer on ${where} (${opts.siteName}).`,
      '',
      ...(preview ? ['Their latest message:', `> ${preview.replace(/\r?\n/g, '\n> ')}`, ''] : []),
      'Open the conversation:',
      opts.link,
      '',
      '--',
      'You get this because e-mail notifications are on in your ConnectDesk settings (Settings → Notifications).',
      'One e-mail per waiting conversation; an answer stops them.',
    ].join('\n'),
  };
}

export class UnansweredAlerts {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: UnansweredAlertsDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** The threshold changed: look again now rather than at the old pace. */
  wake(): void {
    if (!this.running) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err: unknown) => {
          this.deps.logger.error({ err }, 'unanswered-conversation e-mails: a pass failed');
          return 30_000;
        })
        .then((next) => {
          this.running = null;
          this.schedule(next);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  /** One pass: record the stretches that are due, send what is claimable. Returns the delay to the next pass. */
  async tick(now = Date.now()): Promise<number> {
    const { unanswered_after_minutes } = await this.deps.settings.get(NOTIFICATION_SETTINGS_KEY, NotificationSettingsSchema);
    const thresholdMs = unanswered_after_minutes * 60_000;
    await this.deps.alerts.recordDue(now - thresholdMs, 100, now);
    for (;;) {
      const batch = await this.deps.alerts.claim(BATCH, LEASE_MS);
      for (const alert of batch) await this.deliver(alert);
      if (batch.length < BATCH) break;
    }
    // Late by at most a tenth of the threshold (1 s … 30 s).
    return Math.min(30_000, Math.max(1_000, Math.round(thresholdMs / 10)));
  }

  private async deliver(alert: UnansweredAlert): Promise<void> {
    const { alerts, conversations, preferences, logger } = this.deps;
    const row = await conversations.byId(alert.conversationId);
    if (!row || row.status !== 'open' || ms(row.waiting_since) !== alert.waitingSince) {
      await alerts.finish(alert, 'cancelled');
      return;
    }
    const recipients = await preferences.emailRecipients(row.assignee_id ?? undefined);
    if (recipients.length === 0) {
      await alerts.finish(alert, 'skipped');
      return;
    }
    const joined = await conversations.withContact(row.id);
    const conversation = joined ? conversationJson(joined) : null;
    if (!conversation) return;
    const to = recipients.map((r) => r.email);
    const link = `${this.deps.adminBase()}/admin/conversations/${encodeURIComponent(row.id)}`;
    try {
      await this.deps.mailer.send(unansweredMail(conversation, { to, waitedMs: Date.now() - alert.waitingSince, link, siteName: this.deps.siteName }));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (alert.attempts >= MAX_ATTEMPTS) {
        logger.error({ err, conversationId: row.id }, 'could not e-mail about an unanswered conversation; giving up');
        await alerts.finish(alert, 'failed', { recipients: to, error });
      } else {
        logger.warn({ err, conversationId: row.id, attempt: alert.attempts }, 'could not e-mail about an unanswered conversation; will retry');
        await alerts.retryAt(alert, Date.now() + 30_000 * 2 ** (alert.attempts - 1), error);
      }
      return;
    }
    await alerts.finish(alert, 'sent', { recipients: to });
    logger.info({ conversationId: row.id, recipients: to.length }, 'e-mailed about an unanswered conversation');
  }
}
