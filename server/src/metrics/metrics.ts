/**
 * The Prometheus metrics of one server (`GET /metrics`, http/routes/metrics.ts). One Registry per
 * server, built by main.ts — never prom-client's global one, so two servers in one process (tests)
 * never share a count. Other modules do not import prom-client: they call the small recorders here
 * through the narrow hooks they declare (GraphClient's `observe`, the processor's `onApplied`, …).
 *
 * Gauges that mirror the database (outbox, webhook backlog) and the sockets gauge are read when
 * Prometheus scrapes (collect()), so they cost nothing between scrapes and are never stale. In a
 * cluster every node reports the same database figures (use max() across nodes) and its own
 * sockets and counters (use sum()).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxStats } from '../db/repos/outbox-repo.ts';
import type { GraphCall } from '../whatsapp/graph-call.ts';

/** What the scrape-time gauges read. */
interface MetricSources {
  outbox: { stats(): Promise<OutboxStats> };
  webhookEvents: { backlog(): Promise<number> };
  /** Sockets this node holds, by namespace (`/visitor`, `/admin`). */
  sockets(): Record<string, number>;
  now?: () => number;
}

const SECOND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const GRAPH_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

export interface MetricsOptions {
  sources: MetricSources;
  /** Node's process metrics (CPU, memory, event loop, GC): only when the endpoint is on. */
  processMetrics: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly httpSeconds: Histogram<'route' | 'status'>;
  private readonly graphRequests: Counter<'endpoint' | 'outcome' | 'code'>;
  private readonly graphSeconds: Histogram<'endpoint'>;
  private readonly messages: Counter<'direction' | 'channel'>;
  private readonly applyLag: Histogram;
  private outboxRead: { at: number; stats: Promise<OutboxStats> } | null = null;

  constructor(opts: MetricsOptions) {
    const registers = [this.registry];
    const { sources } = opts;
    const now = sources.now ?? Date.now;
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });

    this.httpSeconds = new Histogram({
      name: 'connectdesk_http_request_seconds',
      help: 'HTTP requests by route (the path template) and status, and how long they took',
      labelNames: ['route', 'status'],
      buckets: SECOND_BUCKETS,
      registers,
    });
    this.graphRequests = new Counter({
      name: 'connectdesk_graph_requests_total',
      help: 'Calls to the WhatsApp Cloud API (Graph) by endpoint, outcome and code',
      labelNames: ['endpoint', 'outcome', 'code'],
      registers,
    });
    this.graphSeconds = new Histogram({
      name: 'connectdesk_graph_request_seconds',
      help: 'How long calls to the WhatsApp Cloud API took',
      labelNames: ['endpoint'],
      buckets: GRAPH_BUCKETS,
      registers,
    });
    this.messages = new Counter({
      name: 'connectdesk_messages_total',
      help: 'Messages stored, by direction (inbound, outbound) and conversation channel (web, whatsapp)',
      labelNames: ['direction', 'channel'],
      registers,
    });
    this.applyLag = new Histogram({
      name: 'connectdesk_webhook_apply_lag_seconds',
      help: 'Time from a webhook delivery being stored (acknowledged) to it being applied',
      buckets: LAG_BUCKETS,
      registers,
    });

    // The outbox query runs once per scrape for both of its gauges.
    const outboxStats = () => {
      const t = now();
      if (!this.outboxRead || t - this.outboxRead.at > 1_000) this.outboxRead = { at: t, stats: sources.outbox.stats() };
      return this.outboxRead.stats;
    };
    new Gauge({
      name: 'connectdesk_outbox_pending',
      help: 'Sends waiting in the outbox (queued, retrying or being sent)',
      registers,
      async collect() {
        this.set((await outboxStats()).pending);
      },
    });
    new Gauge({
      name: 'connectdesk_outbox_oldest_age_seconds',
      help: 'Age of the oldest send still waiting in the outbox (0 when none)',
      registers,
      async collect() {
        const { oldestPendingAt } = await outboxStats();
        this.set(oldestPendingAt === null ? 0 : Math.max(0, (now() - oldestPendingAt) / 1000));
      },
    });
    new Gauge({
      name: 'connectdesk_webhook_backlog',
      help: 'Webhook deliveries stored and not applied yet (pending, being applied, or waiting for a retry)',
      registers,
      async collect() {
        this.set(await sources.webhookEvents.backlog());
      },
    });
    new Gauge({
      name: 'connectdesk_sockets',
      help: 'socket.io connections held by this node, by namespace',
      labelNames: ['namespace'],
      registers,
      collect() {
        for (const [namespace, n] of Object.entries(sources.sockets())) this.set({ namespace }, n);
      },
    });
  }

  httpRequest(route: string, status: number, seconds: number): void {
    this.httpSeconds.observe({ route, status: String(status) }, seconds);
  }

  graphRequest(call: GraphCall): void {
    this.graphRequests.inc({ endpoint: call.endpoint, outcome: call.outcome, code: call.code });
    this.graphSeconds.observe({ endpoint: call.endpoint }, call.seconds);
  }

  messageStored(direction: string, channel: string): void {
    this.messages.inc({ direction, channel });
  }

  webhookApplied(lagSeconds: number): void {
    this.applyLag.observe(Math.max(0, lagSeconds));
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
