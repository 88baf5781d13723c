/**
 * Applies stored webhook deliveries, after the 200 went out: every message and status of every
 * entry and change, template and number updates, and anything else recorded as it came. Events
 * are leased while applied (a crash leaves them to be applied after restart). An event that fails
 * stays, marked failed with the error: temporary failures retry with backoff, unusable content
 * waits for a manual replay — nothing is dropped.
 */
import { SerialPump } from './serial-pump.ts';
import { ChangeValueSchema, InboundMessageSchema, StatusSchema, WebhookBodySchema } from '@connectdesk/shared';
import type { WebhookEventRow, WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import type { OwnerConsole } from '../conversations/owner-console.ts';
import type { Logger } from '../logger.ts';
import { retryDelay } from './backoff.ts';
import { senderOf, UnusableWebhookError, type InboundMessages } from './inbound-messages.ts';
import type { NumberRegistry } from './number-registry.ts';
import type { StatusUpdates } from './status-updates.ts';
import type { TemplatesService } from './templates-service.ts';

const PENDING_STATUS_TTL_MS = 7 * 24 * 3600_000;
const TEMPLATE_FIELDS = new Set(['message_template_status_update', 'template_category_update', 'message_template_quality_update', 'message_template_components_update']);

export interface WebhookProcessorDeps {
  events: WebhookEventsRepo;
  numbers: NumberRegistry;
  owner: OwnerConsole;
  inbound: InboundMessages;
  statuses: StatusUpdates;
  templates: TemplatesService;
  logger: Logger;
  maxAttempts?: number;
  leaseMs?: number;
  pollMs?: number;
  /**
   * Work someone is waiting for that needs the database: deliveries being acknowledged. Applying
   * gives way to it (see `giveWay`), so acknowledgements stay fast under a burst.
   */
  foreground?: Foreground;
  sleep?: (ms: number) => Promise<void>;
}

/** What applying gives way to (the webhook inbox). */
export interface Foreground {
  /** Nothing has arrived or been waiting for the database for `ms` milliseconds. */
  isQuiet(ms: number): boolean;
  /** Resolves once that is so. */
  quiet(ms: number): Promise<void>;
}

/** Events claimed per pass: small enough that a pass keeps the one SQLite connection briefly. */
const CLAIM_BATCH = 25;
/** Events claimed by a pass that runs during a burst (it holds up deliveries while it runs). */
const BURST_CLAIM_BATCH = 5;
/** A gap this long between deliveries is the database's spare time. */
const QUIET_MS = 2;
/** The longest a pass waits for such a gap: under a burst that never lets up, one pass per this. */
const MAX_GIVE_WAY_MS = 500;

/** What applying one delivery found: content we can never use, and failures worth a retry. */
interface Outcome {
  unusable: string[];
  failures: unknown[];
}

/**
 * What a delivery is about, so deliveries about the same thing are applied in the order they
 * arrived: the customer for messages and statuses; the business account for everything else
 * (template, number and account updates — a template's category change must not overtake its
 * status change). Deliveries with different keys are applied concurrently.
 */
export function orderingKey(row: WebhookEventRow): string {
  try {
    const body = JSON.parse(row.raw_body) as { entry?: { id?: unknown; changes?: { value?: Record<string, unknown> }[] }[] };
    const entry = body.entry?.[0];
    const value = entry?.changes?.[0]?.value as
      | { messages?: { from?: string; from_user_id?: string }[]; statuses?: { recipient_id?: string; recipient_user_id?: string }[] }
      | undefined;
    const m = value?.messages?.[0];
    const st = value?.statuses?.[0];
    const who = m?.from ?? m?.from_user_id ?? st?.recipient_id ?? st?.recipient_user_id;
    if (who) return `c:${who}`;
    if (!m && !st && (typeof entry?.id === 'string' || typeof entry?.id === 'number')) return `a:${entry.id}`;
    return `e:${row.id}`;
  } catch {
    return `e:${row.id}`;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class WebhookProcessor {
  private readonly loop = new SerialPump(() => this.pump());
  private timer: NodeJS.Timeout | null = null;
  private prunedAt = 0;

  constructor(private readonly d: WebhookProcessorDeps) {}

  /** Start applying, beginning with whatever a previous run left pending. */
  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.loop.stop();
  }

  kick(): void {
    this.loop.kick();
  }

  /** Resolves when every stored delivery has been applied (or failed). */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /** Apply a stored event again (an admin's replay). */
  async replay(id: string): Promise<boolean> {
    const ok = await this.d.events.requeue(id);
    if (ok) this.kick();
    return ok;
  }

  private async pump(): Promise<void> {
    try {
      await this.prunePendingStatuses();
      while (this.loop.running) {
        // Applying is idempotent (messages deduplicated by wamid, statuses only move forward), so
        // the lease only has to outlive one batch; after a crash the batch is applied again soon.
        const quiet = await this.giveWay();
        const rows = await this.d.events.claimDue(quiet ? CLAIM_BATCH : BURST_CLAIM_BATCH, this.d.leaseMs ?? 15_000);
        if (rows.length === 0) break;
        // Deliveries from different senders are applied concurrently, so their transactions share
        // group commits; one sender's deliveries stay in the order they arrived.
        const chains = new Map<string, Promise<boolean>>();
        const applied = await Promise.all(
          rows.map((row) => {
            const key = orderingKey(row);
            const next = (chains.get(key) ?? Promise.resolve(true)).then(() => this.applyEvent(row));
            chains.set(key, next);
            return next;
          }),
        );
        await this.d.events.markDone(rows.filter((_, i) => applied[i]).map((r) => r.id));
      }
    } catch (err) {
      this.d.logger.error({ err }, 'webhook processing loop failed');
    }
    await this.schedule().catch((err) => this.d.logger.error({ err }, 'webhook retry scheduling failed'));
  }

  /**
   * Applying runs in the database's spare time: each pass waits for a gap of QUIET_MS in which no
   * delivery arrived or waited to be stored. A steady stream has such gaps, so applying keeps up
   * with it at full speed; back-to-back deliveries (a burst that keeps the database busy) have
   * none, and acknowledging them comes first — a pass holds the one SQLite connection for a few
   * milliseconds, so a delivery waits at most one pass. Even then a short pass (a few events)
   * runs every MAX_GIVE_WAY_MS, so applying never stops; the backlog goes at full speed after the
   * burst. Returns whether the gap came (false: the time limit ran out).
   */
  private async giveWay(): Promise<boolean> {
    const fg = this.d.foreground;
    if (!fg || fg.isQuiet(QUIET_MS)) return true;
    return Promise.race([fg.quiet(QUIET_MS).then(() => true), (this.d.sleep ?? sleep)(MAX_GIVE_WAY_MS).then(() => false)]);
  }

  /** Statuses for wamids we never sent (another app on the same number) are let go after a week. */
  private async prunePendingStatuses(): Promise<void> {
    const now = Date.now();
    if (now - this.prunedAt < 3_600_000) return;
    this.prunedAt = now;
    await this.d.events.prunePendingStatuses(now - PENDING_STATUS_TTL_MS);
  }

  private async schedule(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.loop.running) return;
    const poll = this.d.pollMs ?? 30_000;
    const at = await this.d.events.nextRetryAt();
    const delay = at === null ? poll : Math.min(poll, Math.max(50, at - Date.now()));
    this.timer = setTimeout(() => this.kick(), delay);
    this.timer.unref();
  }

  /** Applies one event; true when it is done (failures are recorded here). */
  private async applyEvent(row: WebhookEventRow): Promise<boolean> {
    const log = this.d.logger.child({ webhookEvent: row.id });
    let outcome: Outcome;
    try {
      outcome = await this.applyBody(row.raw_body);
    } catch (err) {
      outcome = { unusable: [], failures: [err] };
    }
    if (outcome.failures.length) {
      const first = outcome.failures[0] as Error;
      const retryAt = row.attempts < (this.d.maxAttempts ?? 8) ? Date.now() + retryDelay(row.attempts, 'webhook') : null;
      log.error({ err: first, retryAt }, 'webhook event failed to apply');
      await this.d.events.markFailed(row.id, [first?.message ?? String(first), ...outcome.unusable].join('; '), retryAt);
      return false;
    }
    if (outcome.unusable.length) {
      log.warn({ problems: outcome.unusable }, 'webhook event applied, with parts that cannot be used');
      await this.d.events.markFailed(row.id, outcome.unusable.join('; '), null);
      return false;
    }
    return true;
  }

  private async applyBody(raw: string): Promise<Outcome> {
    const outcome: Outcome = { unusable: [], failures: [] };
    const parsed = WebhookBodySchema.safeParse(JSON.parse(raw));
    if (!parsed.success) {
      outcome.unusable.push(`not a webhook body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return outcome;
    }
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        try {
          await this.applyChange(entry.id ?? '', change.field, change.value, outcome);
        } catch (err) {
          outcome.failures.push(err);
        }
      }
    }
    return outcome;
  }

  private async applyChange(entryId: string, field: string, value: Record<string, unknown>, outcome: Outcome): Promise<void> {
    if (field === 'messages') return this.applyMessages(value, outcome);
    if (TEMPLATE_FIELDS.has(field)) {
      await this.d.templates.applyWebhook(field, entryId, value);
      return;
    }
    if (field === 'phone_number_quality_update') return this.applyQuality(value);
    // account_update, calls, user_preferences, smb_message_echoes, security, ...: kept in
    // webhook_events as received; nothing in ConnectDesk's model to change.
    this.d.logger.debug({ field }, 'webhook field recorded');
  }

  private async applyMessages(value: Record<string, unknown>, outcome: Outcome): Promise<void> {
    const v = ChangeValueSchema.safeParse(value);
    if (!v.success) {
      outcome.unusable.push(`messages change: ${v.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const phoneNumberId = v.data.metadata?.phone_number_id;
    const number = phoneNumberId ? await this.d.numbers.byPhoneNumberId(phoneNumberId) : null;
    if (!number) {
      outcome.unusable.push(`no WhatsApp number with phone_number_id ${phoneNumberId ?? '(missing)'} is configured`);
      return;
    }
    if (v.data.errors?.length) this.d.logger.warn({ errors: v.data.errors }, 'webhook reported errors');
    const contacts = v.data.contacts ?? [];
    for (const raw of v.data.messages ?? []) {
      const m = InboundMessageSchema.safeParse(raw);
      if (!m.success) {
        outcome.unusable.push(`message: ${m.error.issues[0]?.path.join('.')} ${m.error.issues[0]?.message}`);
        continue;
      }
      try {
        const sender = senderOf(m.data, contacts);
        if (this.d.owner.isOwner(number, sender.waId)) await this.d.owner.handleOwnerMessage(number, m.data, sender.waId!);
        else await this.d.inbound.apply(number, m.data, sender);
      } catch (err) {
        if (err instanceof UnusableWebhookError) outcome.unusable.push(err.message);
        else outcome.failures.push(err);
      }
    }
    for (const raw of v.data.statuses ?? []) {
      const s = StatusSchema.safeParse(raw);
      if (!s.success) {
        outcome.unusable.push(`status: ${s.error.issues[0]?.path.join('.')} ${s.error.issues[0]?.message}`);
        continue;
      }
      try {
        await this.d.statuses.apply(s.data);
      } catch (err) {
        outcome.failures.push(err);
      }
    }
  }

  /** Quality and messaging tier of a business number. */
  private async applyQuality(value: Record<string, unknown>): Promise<void> {
    const display = typeof value.display_phone_number === 'string' ? value.display_phone_number.replace(/\D/g, '') : null;
    const number = display ? await this.d.numbers.byDisplayPhoneNumber(display) : null;
    if (!number) return;
    const event = typeof value.event === 'string' ? value.event : null;
    const tier = typeof value.current_limit === 'string' ? value.current_limit : undefined;
    const quality = event === 'FLAGGED' ? 'RED' : event === 'UNFLAGGED' ? 'GREEN' : undefined;
    await this.d.numbers.update(number.phoneNumberId, { ...(tier ? { messagingTier: tier } : {}), ...(quality ? { qualityRating: quality } : {}) });
  }
}
