/**
 * Connections: 10,000 idle visitor sockets on one node, from 10 loopback source addresses (1,000
 * each — a busy site's visitors behind a few NATs). The server allows that many per address only
 * with its two operator settings for it: MAX_CONNECTIONS_PER_IP=2000 and
 * VISITOR_LIMITS_PER_ADDRESS=10 (new visitors per address per minute 120 → 1,200). Reported: the
 * time to connect them all (and each handshake's p99), the server's RSS per socket (settled
 * before and after), and the server's event-loop lag p99 while they sit idle (its own
 * `nodejs_eventloop_lag_p99_seconds`, read from /metrics over a 20 s window; heartbeats included).
 */
import type { BenchContext } from './lib/context.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { connectVisitors, settledRss, type VisitorSocket } from './lib/visitor-sockets.ts';

const BENCH = 'connections';
const ADDRESSES = Array.from({ length: 10 }, (_, i) => `127.0.1.${i + 1}`);
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * prom-client samples the loop with perf_hooks.monitorEventLoopDelay at a 10 ms resolution, whose
 * histogram holds whole timer intervals (an idle loop reads ~10.1 ms): the lag is what exceeds it.
 */
const SAMPLING_MS = 10;

async function loopLagP99Ms(url: string): Promise<number | null> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const m = /^nodejs_eventloop_lag_p99_seconds\s+([0-9.e+-]+)/m.exec(text);
  return m ? Math.max(0, Number(m[1]) * 1000 - SAMPLING_MS) : null;
}

export async function idleSockets(ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 2_000 : 10_000;
  const server = await startServer({
    name: 'connections-server',
    logDir: ctx.outDir,
    env: { MAX_CONNECTIONS_PER_IP: '2000', VISITOR_LIMITS_PER_ADDRESS: '10', METRICS_TOKEN },
  });
  let sockets: VisitorSocket[] = [];
  try {
    const rssBefore = await settledRss(() => server.rssBytes(), 2_000);
    const handshakes: number[] = [];
    const t0 = performance.now();
    sockets = await connectVisitors(server.url, { n, concurrency: 50, addresses: ADDRESSES, timeoutMs: 60_000, onConnected: (ms) => handshakes.push(ms) });
    const connectMs = performance.now() - t0;
    const rssAfter = await settledRss(() => server.rssBytes(), 5_000);
    const perSocketKb = rssBefore !== null && rssAfter !== null ? (rssAfter - rssBefore) / n / 1024 : null;
    // Idle: only heartbeats. The first read resets the server's lag histogram; the second covers the window.
    await loopLagP99Ms(server.url);
    const cpuBefore = server.proc.cpuMs();
    await sleep(ctx.quick ? 5_000 : 20_000);
    const lag = await loopLagP99Ms(server.url);
    const cpuAfter = server.proc.cpuMs();
    const idleCpu = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / (ctx.quick ? 5_000 : 20_000) : null;
    const h = summarize(handshakes);
    const still = sockets.filter((s) => s.connected).length;
    ctx.log(
      `connections: ${n} visitor sockets in ${(connectMs / 1000).toFixed(1)} s (handshake p50 ${fmtMs(h.p50)} p99 ${fmtMs(h.p99)} ms); RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB = ${perSocketKb?.toFixed(1) ?? '?'} KB/socket; idle loop lag p99 ${lag?.toFixed(1) ?? '?'} ms; idle CPU ${idleCpu === null ? '?' : (idleCpu * 100).toFixed(1)}% of a core; still connected ${still}`,
    );
    return [
      figure({
        bench: BENCH,
        name: `${n} idle visitor sockets: time to connect all`,
        value: connectMs / 1000,
        unit: 's',
        target: '',
        pass: null,
        note: `50 handshakes at a time from ${ADDRESSES.length} addresses; each handshake p50 ${fmtMs(h.p50)} ms, p99 ${fmtMs(h.p99)} ms`,
      }),
      figure({
        bench: BENCH,
        name: 'server RSS per idle visitor socket (10,000)',
        value: perSocketKb,
        unit: 'KB',
        target: '≤ 20 KB',
        pass: atMost(perSocketKb, 20),
        note: `server RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB`,
      }),
      figure({
        bench: BENCH,
        name: 'event-loop lag p99 with them idle',
        value: lag,
        unit: 'ms',
        target: '≤ 20 ms',
        pass: atMost(lag, 20),
        note: `the server's own histogram (less its 10 ms sampling interval) over ${ctx.quick ? 5 : 20} s; idle CPU ${idleCpu === null ? '?' : (idleCpu * 100).toFixed(1)}% of a core`,
      }),
      figure({ bench: BENCH, name: 'sockets still connected at the end', value: still, unit: '', target: `${n}`, pass: still === n }),
    ];
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}

function mb(bytes: number | null): string {
  return bytes === null ? '?' : (bytes / 2 ** 20).toFixed(0);
}
