/**
 * Applies stored webhook deliveries, after the 200 went out: every message and status of every
 * entry and change, template and number updates, and anything else recorded as it came. The
 * events are a durable job queue (jobs/): leased while applied (a crash leaves them to be applied
 * after restart), outcomes recorded together per batch (one write). An event that fails stays,
 * marked failed with the error: temporary failures retry with backoff, unusable content waits for
 * a manual replay — nothing is dropped.
 */
import { ChangeValueSchema, InboundMessageSchema, StatusSchema, WebhookBodySchema } from '@connectdesk/shared';
import type { WebhookEventRow, WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import type { OwnerConsole } from '../conversations/owner/owner-console.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import type { SettledJob } from '../jobs/job.ts';
import type { Logger } from '../logger.ts';
import { retryDelay } from './backoff.ts';
import type { InboundBulk, PlainInbound } from './inbound-bulk.ts';
import { senderOf, UnusableWebhookError, type InboundMessages } from './inbound-messages.ts';
import type { NumberRegistry } from './number-registry.ts';
import { ACCOUNT_FIELDS, type AccountEvents } from './account-events.ts';
import type { StatusUpdates } from './status-updates.ts';
import type { UserPreferences } from './user-preferences.ts';
import type { TemplatesService } from './templates-service.ts';

const PENDING_STATUS_TTL_MS = 7 * 24 * 3600_000;
const TEMPLATE_FIELDS = new Set([
  'message_template_status_update',
  'template_category_update',
  'message_template_quality_update',
  'message_template_components_update',
]);

export interface WebhookProcessorDeps {
  events: WebhookEventsRepo;
  numbers: NumberRegistry;
  owner: OwnerConsole;
  inbound: InboundMessages;
  /** Plain customer texts of a claimed batch, applied together (inbound-bulk.ts); without it, one by one. */
  bulk?: InboundBulk;
  statuses: StatusUpdates;
  templates: TemplatesService;
  /** Account fields: bans, violations, quality and throughput, display names, alerts. */
  account?: AccountEvents;
  /** The `user_preferences` field (marketing opt-outs). */
  preferences?: UserPreferences;
  logger: Logger;
  /** Told how long each applied delivery waited since it was stored (the apply-lag histogram). */
  onApplied?: (lagSeconds: number) => void;
  maxAttempts?: number;
  leaseMs?: number;
  pollMs?: number;
}

/**
 * Events claimed per batch. Plain customer texts of a batch are applied in one transaction
 * (inbound-bulk.ts), so a larger batch is cheaper per message; it also holds the one SQLite
 * connection longer, and deliveries being acknowledged queue behind it.
 */
const CLAIM_BATCH = 200;
/** What applying one delivery found: content we can never use, and failures worth a retry. */
interface Outcome {
  unusable: string[];
  failures: unknown[];
}

/** Applying failed; `retryable` unless only unusable content was found. */
class ApplyError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly firstFailure: unknown,
  ) {
    super(message);
  }
}

/**
 * What a delivery is about, so deliveries about the same thing are applied in the order they
 * arrived: the customer for messages, statuses and marketing preferences (the group for a group's
 * messages); the business account for everything else
 * (template, number and account updates — a template's category change must not overtake its
 * status change). Deliveries with different keys are applied concurrently.
 */
export function orderingKey(row: WebhookEventRow): string {
  try {
    const body = JSON.parse(row.raw_body) as { entry?: { id?: unknown; changes?: { value?: Record<string, unknown> }[] }[] };
    const entry = body.entry?.[0];
    const value = entry?.changes?.[0]?.value as
      | {
          messages?: { from?: string; from_user_id?: string; group_id?: string }[];
          statuses?: { recipient_id?: string; recipient_user_id?: string }[];
          user_preferences?: { wa_id?: string; user_id?: string }[];
        }
      | undefined;
    const m = value?.messages?.[0];
    const st = value?.statuses?.[0];
    const pref = value?.user_preferences?.[0];
    // A group's messages (from any member) share the group's conversation: one lane per group.
    if (m?.group_id) return `g:${m.group_id}`;
    const who = m?.from ?? m?.from_user_id ?? st?.recipient_id ?? st?.recipient_user_id ?? pref?.wa_id ?? pref?.user_id;
    if (who) return `c:${who}`;
    if (!m && !st && (typeof entry?.id === 'string' || typeof entry?.id === 'number')) return `a:${entry.id}`;
    return `e:${row.id}`;
  } catch {
    return `e:${row.id}`;
  }
}

export class WebhookProcessor {
  private readonly runner: JobRunner<WebhookEventRow, void>;
  private prunedAt = 0;
  /** Events of the running batch that applyPlainTogether applied: perform finds them done. */
  private readonly appliedTogether = new Set<string>();
  /** Those of them already marked done in the transaction that applied them: record skips the write. */
  private readonly doneTogether = new Set<string>();

  constructor(private readonly deps: WebhookProcessorDeps) {
    const { events } = deps;
    this.runner = new JobRunner({
      name: 'webhook events',
      store: { claim: (owner, limit, leaseMs, now) => events.claimDue(limit, leaseMs, now, owner), nextDueAt: () => events.nextRetryAt() },
      handler: { perform: (row) => this.applyEvent(row), record: (settled, owner) => this.record(settled, owner) },
      retry: {
        maxAttempts: deps.maxAttempts ?? 8,
        isRetryable: (err) => !(err instanceof ApplyError) || err.retryable,
        delayMs: (attempts) => retryDelay(attempts, 'webhook'),
      },
      logger: deps.logger,
      // Deliveries from different senders are applied concurrently, so their transactions share
      // group commits; one sender's deliveries stay in the order they arrived, across batches too.
      concurrency: CLAIM_BATCH,
      orderingKey,
      beforeBatch: deps.bulk ? (rows) => this.applyPlainTogether(rows) : undefined,
      oneBatchAtATime: true,
      recordTogether: true,
      beforePass: () => this.prunePendingStatuses(),
      // Applying is idempotent (messages deduplicated by wamid, statuses only move forward), so
      // the lease only has to outlive one batch; after a crash the batch is applied again soon.
      leaseMs: deps.leaseMs ?? 15_000,
      pollMs: deps.pollMs ?? 30_000,
      minDelayMs: 50,
    });
  }

  /** Start applying, beginning with whatever a previous run left pending. */
  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Look for stored deliveries now (after the inbox stored some). */
  wake(): void {
    this.runner.wake();
  }

  /** Resolves when every stored delivery has been applied (or failed). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Apply a stored event again (an admin's replay). */
  async replay(id: string): Promise<boolean> {
    const ok = await this.deps.events.requeue(id);
    if (ok) this.wake();
    return ok;
  }

  /** Statuses for wamids we never sent (another app on the same number) are let go after a week. */
  private async prunePendingStatuses(): Promise<void> {
    const now = Date.now();
    if (now - this.prunedAt < 3_600_000) return;
    this.prunedAt = now;
    await this.deps.events.prunePendingStatuses(now - PENDING_STATUS_TTL_MS);
  }

  /**
   * The batch's deliveries that are nothing but plain customer texts (inbound-bulk.ts), applied in
   * one transaction. A customer with anything else in the batch (a status, a reaction, a photo...)
   * has all of their deliveries applied one by one, in order, as before; so has everything the bulk
   * step leaves or fails on.
   */
  private async applyPlainTogether(rows: WebhookEventRow[]): Promise<void> {
    const bulk = this.deps.bulk!;
    const planned = new Map<WebhookEventRow, PlainInbound[]>();
    const mixed = new Set<string>();
    for (const row of rows) {
      const key = orderingKey(row);
      const items = await this.plainItems(row, key, bulk);
      if (items) planned.set(row, items);
      else mixed.add(key);
    }
    const together = [...planned].filter(([, items]) => !mixed.has(items[0]!.key));
    if (!together.length) return;
    const applied = (left: Set<string>) => together.filter(([, items]) => !left.has(items[0]!.key)).map(([row]) => row);
    // Marked done in the same commit, so a batch costs one commit, not two; the claim's lease owner
    // guards it as it guards record's markDone.
    const { left } = await bulk.apply(
      together.flatMap(([, items]) => items),
      (trx, left) => {
        const rows = applied(left);
        return this.deps.events.markDone(
          rows.map((r) => r.id),
          rows[0]?.lease_owner ?? null,
          Date.now(),
          trx,
        );
      },
    );
    for (const row of applied(left)) {
      this.appliedTogether.add(row.id);
      this.doneTogether.add(row.id);
    }
  }

  /** The customer texts of a delivery made of nothing else, or null. */
  private async plainItems(row: WebhookEventRow, key: string, bulk: InboundBulk): Promise<PlainInbound[] | null> {
    let parsed;
    try {
      parsed = WebhookBodySchema.safeParse(JSON.parse(row.raw_body));
    } catch {
      return null;
    }
    if (!parsed.success || parsed.data.entry.length !== 1 || parsed.data.entry[0]!.changes.length !== 1) return null;
    const change = parsed.data.entry[0]!.changes[0]!;
    if (change.field !== 'messages') return null;
    const v = ChangeValueSchema.safeParse(change.value);
    if (!v.success || v.data.statuses?.length || v.data.errors?.length || !v.data.messages?.length) return null;
    const phoneNumberId = v.data.metadata?.phone_number_id;
    const number = phoneNumberId ? await this.deps.numbers.byPhoneNumberId(phoneNumberId) : null;
    if (!number) return null;
    const items: PlainInbound[] = [];
    for (const raw of v.data.messages) {
      const m = InboundMessageSchema.safeParse(raw);
      if (!m.success) return null;
      const sender = senderOf(m.data, v.data.contacts ?? []);
      if (!bulk.isPlain(m.data, sender) || this.deps.owner.isOwner(number, sender.waId)) return null;
      items.push({ key, number, msg: m.data, sender });
    }
    return items;
  }

  /** Applies one event; throws ApplyError when some of it failed or could not be used. */
  private async applyEvent(row: WebhookEventRow): Promise<void> {
    if (this.appliedTogether.delete(row.id)) return;
    let outcome: Outcome;
    try {
      outcome = await this.applyBody(row.raw_body, row.request_id);
    } catch (err) {
      outcome = { unusable: [], failures: [err] };
    }
    if (outcome.failures.length) {
      const first = outcome.failures[0] as Error;
      throw new ApplyError([first?.message ?? String(first), ...outcome.unusable].join('; '), true, first);
    }
    if (outcome.unusable.length) throw new ApplyError(outcome.unusable.join('; '), false, null);
  }

  /** Applied events in one statement; failed ones kept with their error (and a retry time, while attempts remain). */
  private async record(settled: SettledJob<WebhookEventRow, void>[], owner: string): Promise<void> {
    const done: string[] = [];
    const { logger } = this.deps;
    for (const { job: row, outcome } of settled) {
      // The delivery's request id: the access-log line of its POST, and whatever applying it queues.
      // Fields rather than a child logger per delivery: a child costs its bindings' serialisation
      // and redaction even when the line is below the log level (thousands a second in a burst).
      const about = { webhookEvent: row.id, requestId: row.request_id };
      if (outcome.status === 'done') {
        const lagMs = Date.now() - Number(row.received_at);
        this.deps.onApplied?.(lagMs / 1000);
        logger.info({ ...about, lagMs, attempt: row.attempts }, 'webhook event applied');
        if (!this.doneTogether.delete(row.id)) done.push(row.id);
      } else if (outcome.status !== 'deferred') {
        const err = outcome.error as ApplyError;
        const retryAt = outcome.status === 'retry' ? outcome.at : null;
        if (err.retryable) logger.error({ ...about, err: err.firstFailure, retryAt }, 'webhook event failed to apply');
        else logger.warn({ ...about, problems: err.message }, 'webhook event applied, with parts that cannot be used');
        await this.deps.events.markFailed(row.id, err.message, retryAt, owner);
      }
    }
    await this.deps.events.markDone(done, owner);
  }

  private async applyBody(raw: string, requestId: string | null): Promise<Outcome> {
    const outcome: Outcome = { unusable: [], failures: [] };
    const parsed = WebhookBodySchema.safeParse(JSON.parse(raw));
    if (!parsed.success) {
      outcome.unusable.push(`not a webhook body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return outcome;
    }
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        try {
          await this.applyChange(entry.id ?? '', change.field, change.value, outcome, requestId, entry.time);
        } catch (err) {
          outcome.failures.push(err);
        }
      }
    }
    return outcome;
  }

  private async applyChange(
    entryId: string,
    field: string,
    value: Record<string, unknown>,
    outcome: Outcome,
    requestId: string | null,
    entryTime?: number,
  ): Promise<void> {
    if (field === 'messages') return this.applyMessages(value, outcome, requestId);
    if (TEMPLATE_FIELDS.has(field)) {
      await this.deps.templates.applyWebhook(field, entryId, value);
      return;
    }
    if (ACCOUNT_FIELDS.has(field) && this.deps.account) return this.deps.account.apply(field, entryId, value, entryTime);
    if (field === 'user_preferences' && this.deps.preferences) return void outcome.unusable.push(...(await this.deps.preferences.apply(value)));
    // calls, smb_message_echoes, security, ...: kept in
    // webhook_events as received; nothing in ConnectDesk's model to change.
    this.deps.logger.debug({ field }, 'webhook field recorded');
  }

  private async applyMessages(value: Record<string, unknown>, outcome: Outcome, _requestId: string | null): Promise<void> {
    const v = ChangeValueSchema.safeParse(value);
    if (!v.success) {
      outcome.unusable.push(`messages change: ${v.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const phoneNumberId = v.data.metadata?.phone_number_id;
    const number = phoneNumberId ? await this.deps.numbers.byPhoneNumberId(phoneNumberId) : null;
    if (!number) {
      outcome.unusable.push(`no WhatsApp number with phone_number_id ${phoneNumberId ?? '(missing)'} is configured`);
      return;
    }
    if (v.data.errors?.length) this.deps.logger.warn({ errors: v.data.errors }, 'webhook reported errors');
    const contacts = v.data.contacts ?? [];
    for (const raw of v.data.messages ?? []) {
      const m = InboundMessageSchema.safeParse(raw);
      if (!m.success) {
        outcome.unusable.push(`message: ${m.error.issues[0]?.path.join('.')} ${m.error.issues[0]?.message}`);
        continue;
      }
      try {
        const sender = senderOf(m.data, contacts);
        // The owner writing in a group the business is in is a group member, not the owner console.
        if (!m.data.group_id && this.deps.owner.isOwner(number, sender.waId)) await this.deps.owner.handleOwnerMessage(number, m.data, sender.waId!);
        else await this.deps.inbound.apply(number, m.data, sender);
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
        await this.deps.statuses.apply(s.data);
      } catch (err) {
        outcome.failures.push(err);
      }
    }
  }
}
