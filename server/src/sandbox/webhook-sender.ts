/**
 * Delivers webhooks like Meta: POST with `X-Hub-Signature-256: sha256=<HMAC of the raw body>`
 * (and the legacy sha1 header), retried with exponential backoff until the receiver answers 200 or
 * the attempts run out. Deliveries made before a webhook URL is known wait for `setUrl`.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { metaJson } from './webhook-payloads.ts';

export interface DeliveryOutcome {
  ok: boolean;
  /** Attempts made so far (0 while waiting for a webhook URL). */
  attempts: number;
  status?: number;
  error?: string;
  queued?: boolean;
  /** Not sent: the app is not subscribed to the account's webhooks (Meta drops them too). */
  dropped?: boolean;
}

export interface WebhookSenderOptions {
  appSecret: string;
  webhookUrl: string | null;
  logger: Logger;
  fetch?: typeof fetch;
  /** Total attempts per delivery, first one included. Default 6. */
  attempts?: number;
  /** Wait before the first retry; doubles each time (capped at 60 s). Default 1 s. */
  baseDelayMs?: number;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /**
   * Whether the app is subscribed to the WABA's webhooks (`/{waba-id}/subscribed_apps`). While it
   * is not, Meta sends nothing — and does not send it later either: webhooks are dropped.
   */
  subscribed?: () => boolean;
}

const UNSUBSCRIBED = 'the app is not subscribed to the business account’s webhooks (POST /{waba-id}/subscribed_apps): Meta drops them';

interface Delivery {
  raw: string;
  attempts: number;
  onFirst: (o: DeliveryOutcome) => void;
  onSettled: (o: DeliveryOutcome) => void;
}

function signBody(appSecret: string, raw: string): { sha256: string; sha1: string } {
  return {
    sha256: `sha256=${createHmac('sha256', appSecret).update(raw, 'utf8').digest('hex')}`,
    sha1: `sha1=${createHmac('sha1', appSecret).update(raw, 'utf8').digest('hex')}`,
  };
}

export class WebhookSender {
  private url: string | null;
  private stopped = false;
  private readonly waiting: Delivery[] = [];
  private readonly live = new Set<Delivery>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private readonly fetchImpl: typeof fetch;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: WebhookSenderOptions) {
    this.url = opts.webhookUrl;
    this.fetchImpl = opts.fetch ?? fetch;
    this.maxAttempts = Math.max(1, opts.attempts ?? 6);
    this.baseDelayMs = opts.baseDelayMs ?? 1000;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  get webhookUrl(): string | null {
    return this.url;
  }

  setUrl(url: string): void {
    this.url = url;
    for (const d of this.waiting.splice(0)) void this.attempt(d);
  }

  /**
   * Sends one webhook. `first` resolves with the outcome of the first attempt (retries continue in
   * the background); `settled` once it was delivered or given up.
   */
  send(body: unknown): { first: Promise<DeliveryOutcome>; settled: Promise<DeliveryOutcome> } {
    let onFirst!: (o: DeliveryOutcome) => void;
    let onSettled!: (o: DeliveryOutcome) => void;
    const first = new Promise<DeliveryOutcome>((r) => (onFirst = r));
    const settled = new Promise<DeliveryOutcome>((r) => (onSettled = r));
    const d: Delivery = { raw: metaJson(body), attempts: 0, onFirst, onSettled };
    if (this.stopped) {
      const outcome = { ok: false, attempts: 0, error: 'sandbox stopped' };
      onFirst(outcome);
      onSettled(outcome);
    } else if (this.opts.subscribed && !this.opts.subscribed()) {
      const outcome = { ok: false, attempts: 0, dropped: true, error: UNSUBSCRIBED };
      this.opts.logger.info('sandbox dropped a webhook: the app is unsubscribed');
      onFirst(outcome);
      onSettled(outcome);
    } else if (!this.url) {
      this.waiting.push(d);
      onFirst({ ok: false, attempts: 0, queued: true, error: 'no webhook URL set yet; delivery waits for one' });
    } else {
      void this.attempt(d);
    }
    return { first, settled };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.controllers) c.abort();
    const outcome = { ok: false, error: 'sandbox stopped' };
    for (const d of [...this.waiting.splice(0), ...this.live]) {
      d.onFirst({ ...outcome, attempts: d.attempts });
      d.onSettled({ ...outcome, attempts: d.attempts });
    }
    this.live.clear();
  }

  private async attempt(d: Delivery): Promise<void> {
    if (this.stopped || !this.url) return;
    this.live.add(d);
    d.attempts += 1;
    const outcome = await this.post(this.url, d.raw, d.attempts);
    if (this.stopped) return;
    if (d.attempts === 1) d.onFirst(outcome);
    if (outcome.ok) {
      this.live.delete(d);
      d.onSettled(outcome);
      return;
    }
    if (d.attempts >= this.maxAttempts) {
      this.opts.logger.warn({ attempts: d.attempts, status: outcome.status, error: outcome.error }, 'sandbox gave up delivering a webhook');
      this.live.delete(d);
      d.onSettled(outcome);
      return;
    }
    const delay = Math.min(60_000, this.baseDelayMs * 2 ** (d.attempts - 1));
    this.opts.logger.debug({ attempts: d.attempts, status: outcome.status, retryInMs: delay }, 'sandbox webhook not accepted; retrying');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(d);
    }, delay);
    this.timers.add(timer);
  }

  private async post(url: string, raw: string, attempt: number): Promise<DeliveryOutcome> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const sig = signBody(this.opts.appSecret, raw);
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig.sha256, 'x-hub-signature': sig.sha1, 'user-agent': 'facebookexternalua' },
        body: raw,
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status === 200
        ? { ok: true, attempts: attempt, status: 200 }
        : { ok: false, attempts: attempt, status: res.status, error: `receiver answered ${res.status}` };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return { ok: false, attempts: attempt, error: controller.signal.aborted ? 'receiver did not answer in time' : (cause ?? (err as Error).message) };
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
  }
}
