/**
 * What happens after Meta accepts a send: the phone gets it and reads it, and the business hears
 * about it through `sent` → `delivered` → `read` status webhooks — or one `failed` with errors[]
 * (e.g. 131047 outside the window). With chaos on, every status is sent twice and out of order,
 * as Meta is allowed to.
 */
import type { Logger } from '../logger.ts';
import type { SandboxState } from './state.ts';
import { statusWebhook, type BusinessNumber, type Pricing, type WebhookStatus } from './webhook-payloads.ts';
import type { WebhookSender } from './webhook-sender.ts';

export interface StatusDelays {
  sent: number;
  delivered: number;
  read: number;
}

export interface StatusFlowOptions {
  business: BusinessNumber;
  state: SandboxState;
  sender: WebhookSender;
  logger: Logger;
  chaos: boolean;
  delays: StatusDelays;
  now: () => number;
  random: () => number;
}

export type Outcome =
  | { kind: 'deliver'; pricing: Pricing }
  | { kind: 'fail'; error: { code: number; title: string; message: string; error_data: { details: string }; href: string } };

interface PlannedStatus {
  status: WebhookStatus;
  timestamp: number;
  pricing?: Pricing;
  errors?: unknown[];
}

export class StatusFlow {
  private stopped = false;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();

  constructor(private readonly opts: StatusFlowOptions) {}

  /** Plays out the life of an accepted message in the background. */
  start(wamid: string, waId: string, outcome: Outcome): void {
    void this.run(wamid, waId, outcome).catch((err: unknown) => this.opts.logger.error({ err }, 'sandbox status flow failed'));
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }

  private async run(wamid: string, waId: string, outcome: Outcome): Promise<void> {
    const { delays } = this.opts;
    const plan: PlannedStatus[] = [];
    const t0 = this.opts.now();
    if (outcome.kind === 'fail') {
      plan.push({ status: 'failed', timestamp: t0 + delays.sent, errors: [outcome.error] });
    } else {
      plan.push({ status: 'sent', timestamp: t0 + delays.sent, pricing: outcome.pricing });
      plan.push({ status: 'delivered', timestamp: t0 + delays.sent + delays.delivered, pricing: outcome.pricing });
      plan.push({ status: 'read', timestamp: t0 + delays.sent + delays.delivered + delays.read });
    }
    const waits = [delays.sent, delays.delivered, delays.read];

    if (this.opts.chaos) {
      await this.sleep(waits.slice(0, plan.length).reduce((a, b) => a + b, 0));
      if (this.stopped) return;
      for (const p of plan) this.apply(wamid, p);
      for (const p of this.shuffleNotInOrder([...plan, ...plan])) {
        if (this.stopped) return;
        await this.emit(wamid, waId, p);
      }
      return;
    }
    for (const [i, p] of plan.entries()) {
      await this.sleep(waits[i] ?? 0);
      if (this.stopped) return;
      this.apply(wamid, p);
      await this.emit(wamid, waId, p);
    }
  }

  private apply(wamid: string, p: PlannedStatus): void {
    const err = p.errors?.[0] as { code: number; title: string } | undefined;
    this.opts.state.advance(wamid, p.status, err ? { code: err.code, title: err.title } : undefined);
  }

  private async emit(wamid: string, waId: string, p: PlannedStatus): Promise<void> {
    const phone = this.opts.state.phone(waId);
    const body = statusWebhook(this.opts.business, phone, { wamid, ...p });
    await this.opts.sender.send(body).first;
  }

  /** A random order that is never the original one (for two or more distinct entries). */
  private shuffleNotInOrder(items: PlannedStatus[]): PlannedStatus[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.opts.random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    const inOrder = out.every((p, i) => i === 0 || rank(out[i - 1]!.status) <= rank(p.status));
    return inOrder ? out.reverse() : out;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}

function rank(s: WebhookStatus): number {
  return { sent: 1, delivered: 2, read: 3, failed: 4 }[s];
}
