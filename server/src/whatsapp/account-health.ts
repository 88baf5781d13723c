/**
 * The business account's health for admins: which numbers have their sending paused by a token
 * problem (190 and kin), what Meta reported about the account (account-events.ts), whether the app
 * is subscribed to the account's webhooks — and resuming a number's sends once a token is saved.
 */
import type { WhatsAppAccount, WebhookSubscription } from '@connectdesk/shared';
import type { AccountEventsRepo } from '../db/repos/account-events-repo.ts';
import type { OutboxRepo } from '../db/repos/outbox-repo.ts';
import type { Logger } from '../logger.ts';
import { numberJson } from '../presentation/whatsapp-number-json.ts';
import type { CloudApi } from './graph-api.ts';
import type { NumberRegistry } from './number-registry.ts';

export interface AccountHealthDeps {
  numbers: NumberRegistry;
  outbox: OutboxRepo;
  events: AccountEventsRepo;
  cloud: CloudApi;
  /** Look for outbox work now. */
  wakeOutbox: () => void;
  logger: Logger;
}

const EVENTS_SHOWN = 50;

export class AccountHealth {
  constructor(private readonly deps: AccountHealthDeps) {}

  /** A token was saved for this number: clear the pause and send what waited. */
  async tokenSaved(phoneNumberId: string): Promise<void> {
    const number = await this.deps.numbers.byPhoneNumberId(phoneNumberId);
    if (!number?.tokenProblem) return;
    await this.deps.numbers.clearTokenProblem(phoneNumberId);
    const resumed = await this.deps.outbox.resumeNumber(phoneNumberId);
    this.deps.logger.info({ phoneNumberId, resumed }, 'access token saved: paused sends resume');
    this.deps.wakeOutbox();
  }

  async overview(): Promise<WhatsAppAccount> {
    const [numbers, events] = await Promise.all([this.deps.numbers.list(), this.deps.events.latest(EVENTS_SHOWN)]);
    return {
      sending_paused: numbers.some((n) => n.tokenProblem !== null),
      numbers: numbers.map(numberJson),
      events: events.map((e) => ({
        id: e.id,
        field: e.field,
        event: e.event,
        waba_id: e.wabaId,
        phone_number: e.phoneNumber,
        severity: e.severity,
        summary: e.summary,
        occurred_at: e.occurredAt,
      })),
    };
  }

  /** Subscribe the app to the default number's account webhooks (`POST /{waba-id}/subscribed_apps`), then read them back. */
  async subscribe(): Promise<WebhookSubscription> {
    const number = await this.deps.numbers.defaultNumber();
    const opts = number ? { wabaId: this.deps.numbers.wabaIdOf(number), token: this.deps.numbers.tokenFor(number) } : {};
    await this.deps.cloud.subscribeApp(opts);
    const apps = await this.deps.cloud.subscribedApps(opts);
    return { subscribed: apps.length > 0, apps: apps.map((a) => a.name ?? a.id) };
  }
}
