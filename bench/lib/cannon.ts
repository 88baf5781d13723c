/**
 * autocannon with a hard time bound and our own clock: throughput is counted from the response
 * events (first request → last response), not from autocannon's 1-second sampling ticks.
 */
import autocannon from 'autocannon';

export interface CannonOptions {
  url: string;
  connections: number;
  /** Stop after this many requests (each one must be unique), or run for `durationS`. */
  amount?: number;
  durationS?: number;
  /**
   * Builds each request; called once per request. `context` belongs to the connection and is
   * handed to `onResponse` for the response to this request (one request in flight per connection).
   */
  next(context: Record<string, unknown>): { method: 'POST' | 'GET'; path: string; headers: Record<string, string>; body?: Buffer };
  onResponse?(status: number, context: Record<string, unknown>): void;
  /** Abort the run after this long whatever happens. */
  maxMs: number;
  timeoutS?: number;
}

export interface CannonResult {
  sent: number;
  responses: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  elapsedMs: number;
  /** 2xx responses per second over elapsedMs. */
  okPerSecond: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export function runCannon(opts: CannonOptions): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    const firstAt = performance.now();
    let lastAt = 0;
    let responses = 0;
    let ok = 0;
    let sent = 0;
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        pipelining: 1,
        timeout: opts.timeoutS ?? 10,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationS ?? 10 }),
        requests: [
          {
            setupRequest: (_req: unknown, context: Record<string, unknown>) => {
              sent += 1;
              return opts.next(context);
            },
            onResponse: (status: number, _body: unknown, context: Record<string, unknown>) => opts.onResponse?.(status, context),
          },
        ],
      } as autocannon.Options,
      (err, result) => {
        clearTimeout(guard);
        if (err) return reject(err as Error);
        const elapsedMs = lastAt > firstAt ? lastAt - firstAt : result.duration * 1000;
        const statusCounts: Record<string, number> = {};
        for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = (v as { count: number }).count;
        resolve({
          sent,
          responses,
          ok2xx: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCounts,
          elapsedMs,
          okPerSecond: (ok / elapsedMs) * 1000,
          latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number) => {
      responses += 1;
      if (statusCode >= 200 && statusCode < 300) ok += 1;
      lastAt = performance.now();
    });
    const guard = setTimeout(() => instance.stop(), opts.maxMs);
  });
}
