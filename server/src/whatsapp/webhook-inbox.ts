/**
 * The acknowledgement path of the webhook: store each verified delivery in webhook_events before
 * answering 200. Deliveries that arrive while a write is in progress are written together in the
 * next transaction (group commit), so a burst costs one fsync per batch, not per request. The
 * exact raw text is stored — never re-serialised — and deduplicated by its sha256.
 */
import { createHash } from 'node:crypto';
import type { WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import type { NewWebhookEvent } from '../db/webhook-event-writer.ts';

interface Waiting {
  event: NewWebhookEvent;
  resolve: (r: { stored: boolean }) => void;
  reject: (err: unknown) => void;
}

export interface WebhookInboxDeps {
  events: WebhookEventsRepo;
  /** Called after each batch that stored something new (wakes the processor), while intake goes on. */
  onStored: () => void;
  maxBatch?: number;
}

export class WebhookInbox {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(private readonly deps: WebhookInboxDeps) {}

  /**
   * Resolves once the delivery is durably stored; `stored` is false for a duplicate body.
   * `requestId`: its POST's (http/request-id.ts), stored with it and logged when it is applied.
   */
  accept(raw: Buffer, requestId: string | null = null): Promise<{ stored: boolean }> {
    const event = { dedupeKey: createHash('sha256').update(raw).digest('hex'), rawBody: raw.toString('utf8'), requestId };
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Deliveries are at the database or queued for it right now. */
  busy(): boolean {
    return this.flushing || this.queue.length > 0;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.deps.maxBatch ?? 500);
        const unique = new Map<string, NewWebhookEvent>();
        for (const w of batch) if (!unique.has(w.event.dedupeKey)) unique.set(w.event.dedupeKey, w.event);
        try {
          const inserted = await this.deps.events.insertBatch([...unique.values()]);
          // Wake the processor after every batch, not when intake falls quiet: a steady stream of
          // deliveries must not keep what they say from agents.
          if (inserted.size > 0) this.deps.onStored();
          for (const w of batch) {
            // Only the first waiter for a newly inserted key counts as stored.
            w.resolve({ stored: inserted.delete(w.event.dedupeKey) });
          }
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
