/**
 * WhatsApp inbound to the agent's screen: what an agent sees, not what Meta sees. One agent socket
 * on `/admin`; every figure is timed from a signed delivery leaving the load generator to that
 * agent receiving its `message:new` (matched by wamid).
 *
 *   1. Burst: 20,000 deliveries from 400 contacts, 32 connections as fast as the server answers.
 *      Intake = 200s per second, against the bare HMAC+parse floor (bench/baseline-server.ts) on
 *      the same load in the same run; "fully visible" = deliveries / (last one on screen − first sent).
 *   2. Steady: 2,000 deliveries a second for 10 s, open loop (each leaves on its schedule whatever
 *      the answers), latency of each from its scheduled send to the agent's screen.
 */
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { AdminClientToServer, AdminServerToClient } from '@connectdesk/shared';
import { runCannon, type CannonResult } from './lib/cannon.ts';
import type { BenchContext } from './lib/context.ts';
import { logProfile, monotonicUs } from './lib/cpu-profile.ts';
import { spawnNode } from './lib/node-process.ts';
import { atLeast, atMost, figure, type Figure } from './lib/report.ts';
import { BENCH_APP_SECRET, BENCH_PHONE_NUMBER_ID, signIn, startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { steadyFeed } from './lib/steady-feed.ts';
import { signedTextWebhooks, type SignedBody } from './lib/webhook-bodies.ts';

const BENCH = 'inbound';
const PATH = '/api/whatsapp/webhook';
const CONNECTIONS = 32;
const CONTACTS = 400;
const BURST = 20_000;
const STEADY_PER_SECOND = 2_000;

type AgentSocket = Socket<AdminServerToClient, AdminClientToServer>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function requestFor(b: SignedBody) {
  return {
    method: 'POST' as const,
    path: PATH,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': b.signature, 'user-agent': 'facebookexternalua' },
    body: b.body,
  };
}

function feed(bodies: SignedBody[], cycle: boolean) {
  let i = 0;
  return () => {
    const b = cycle ? bodies[i++ % bodies.length] : bodies[i++];
    if (!b) throw new Error('ran out of pre-signed bodies');
    return requestFor(b);
  };
}

/** Resolves when every wamid in `wanted` is in `seen`, or after `stallMs` without progress. */
async function untilVisible(seen: Map<string, number>, wanted: string[], stallMs: number): Promise<number> {
  let missing = wanted.filter((w) => !seen.has(w)).length;
  let progressAt = performance.now();
  while (missing > 0 && performance.now() - progressAt < stallMs) {
    await sleep(50);
    const now = wanted.filter((w) => !seen.has(w)).length;
    if (now < missing) progressAt = performance.now();
    missing = now;
  }
  return missing;
}

export async function webhookScreen(ctx: BenchContext): Promise<Figure[]> {
  const burstCount = ctx.quick ? 5_000 : BURST;
  const steadySeconds = ctx.quick ? 4 : 10;
  const runId = Date.now().toString(36).toUpperCase();
  const sign = (count: number, prefix: string) =>
    signedTextWebhooks({ count, contacts: CONTACTS, phoneNumberId: BENCH_PHONE_NUMBER_ID, appSecret: BENCH_APP_SECRET, wamidPrefix: prefix });
  ctx.log(`inbound: signing ${burstCount + 1_000 + STEADY_PER_SECOND * steadySeconds} bodies from ${CONTACTS} contacts`);
  const warmBodies = sign(1_000, `wamid.SCRW${runId}.`);
  const burstBodies = sign(burstCount, `wamid.SCRB${runId}.`);
  const steadyBodies = sign(STEADY_PER_SECOND * steadySeconds, `wamid.SCRS${runId}.`);

  // The floor: bare node:http that reads, checks the HMAC and parses — the same burst, its own process.
  const baselineProc = spawnNode({
    name: 'inbound-baseline',
    script: 'bench/baseline-server.ts',
    env: { PORT: '0', WHATSAPP_APP_SECRET: BENCH_APP_SECRET },
    logDir: ctx.outDir,
  });
  let floor: CannonResult;
  try {
    const m = await baselineProc.waitForLine(/baseline listening on (\d+)/, 60_000);
    const url = `http://127.0.0.1:${m[1]}`;
    await runCannon({ url, connections: CONNECTIONS, amount: 2_000, next: feed(warmBodies, true), maxMs: 10_000 });
    floor = await runCannon({ url, connections: CONNECTIONS, amount: burstCount, next: feed(burstBodies, true), maxMs: 60_000 });
  } finally {
    await baselineProc.stop();
  }
  ctx.log(`inbound: floor (HMAC + parse) ${Math.round(floor.okPerSecond)}/s`);

  const cpuProfDir = ctx.profile ? path.join(ctx.outDir, 'cpu-profile-inbound') : undefined;
  // Meta delivers from many addresses; from one loopback address the open loop needs more than the per-address cap.
  const server = await startServer({ name: 'inbound-server', logDir: ctx.outDir, env: { MAX_CONNECTIONS_PER_IP: '4096' }, cpuProfDir });
  const window = { fromUs: 0, toUs: 0 };
  let agent: AgentSocket | null = null;
  try {
    const cookie = await signIn(server.url);
    agent = io(`${server.url}/admin`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: server.url } });
    await new Promise<void>((resolve, reject) => {
      agent!.once('connect', () => resolve());
      agent!.once('connect_error', reject);
    });
    const seen = new Map<string, number>();
    agent.on('message:new', ({ message }) => {
      if (message.wamid && !seen.has(message.wamid)) seen.set(message.wamid, performance.now());
    });

    // Warm-up: first contact for every customer (conversations exist), code paths warm.
    await runCannon({ url: server.url, connections: CONNECTIONS, amount: warmBodies.length, next: feed(warmBodies, false), maxMs: 60_000 });
    const warmMissing = await untilVisible(
      seen,
      warmBodies.map((b) => b.wamid),
      30_000,
    );
    if (warmMissing) ctx.log(`inbound: WARNING ${warmMissing} warm-up messages never reached the agent`);

    // 1. The burst.
    const cpuBefore = server.proc.cpuMs();
    window.fromUs = monotonicUs();
    const t0 = performance.now();
    const burst = await runCannon({ url: server.url, connections: CONNECTIONS, amount: burstCount, next: feed(burstBodies, false), maxMs: 120_000 });
    const burstWamids = burstBodies.map((b) => b.wamid);
    const burstMissing = await untilVisible(seen, burstWamids, 30_000);
    const lastVisible = Math.max(...burstWamids.map((w) => seen.get(w) ?? 0));
    const cpuAfter = server.proc.cpuMs();
    window.toUs = monotonicUs();
    const visibleRate = ((burstCount - burstMissing) / (lastVisible - t0)) * 1000;
    // Applying keeps up while acknowledging goes on: half of the burst is on screen before intake ends.
    const halfVisibleS = (summarize(burstWamids.flatMap((w) => (seen.has(w) ? [seen.get(w)! - t0] : []))).p50 / 1000).toFixed(2);
    const intakeRatio = burst.okPerSecond / floor.okPerSecond;
    const cpuPerMessage = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / burstCount : null;
    ctx.log(
      `inbound: burst of ${burstCount}: acked at ${Math.round(burst.okPerSecond)}/s (${intakeRatio.toFixed(2)}× floor), half on the agent's screen after ${halfVisibleS} s (intake ended at ${(burst.elapsedMs / 1000).toFixed(2)} s), all after ${((lastVisible - t0) / 1000).toFixed(2)} s = ${Math.round(visibleRate)}/s; missing ${burstMissing}; server CPU ${cpuPerMessage?.toFixed(3) ?? '?'} ms/message`,
    );

    // 2. Steady open loop.
    const steady = await steadyFeed({ url: server.url, path: PATH, bodies: steadyBodies, perSecond: STEADY_PER_SECOND });
    const steadyMissing = await untilVisible(
      seen,
      steadyBodies.map((b) => b.wamid),
      30_000,
    );
    const lags = steadyBodies.flatMap((b) => {
      const sent = steady.sentAt.get(b.wamid);
      const shown = seen.get(b.wamid);
      return sent !== undefined && shown !== undefined ? [shown - sent] : [];
    });
    const lag = summarize(lags);
    const steadyRate = (steadyBodies.length / steady.elapsedMs) * 1000;
    ctx.log(
      `inbound: steady ${Math.round(steadyRate)}/s for ${(steady.elapsedMs / 1000).toFixed(1)} s: ${steady.ackedAt.size} acked, ${steady.failed} failed ${JSON.stringify(steady.failures)}, ${steadyMissing} never shown; sent → agent p50 ${fmtMs(lag.p50)} ms, p99 ${fmtMs(lag.p99)} ms, max ${fmtMs(lag.max)} ms`,
    );
    // Each delivery counted once: one that was refused is (nearly always) never shown either. The
    // steady feed knows which wamid each answer was for; the burst's refusals are only counted, so
    // it contributes the larger of its two counts.
    const steadyLost = steadyBodies.filter((b) => !steady.ackedAt.has(b.wamid) || !seen.has(b.wamid)).length;
    const lost = Math.max(burstMissing, burst.non2xx + burst.errors + burst.timeouts) + steadyLost;
    return [
      figure({
        bench: BENCH,
        name: `burst of ${burstCount} (${CONTACTS} contacts): fully on the agent's screen`,
        value: visibleRate,
        unit: '/s',
        target: '≥ 5000/s',
        pass: atLeast(visibleRate, 5000),
        note: `first sent → last message:new ${((lastVisible - t0) / 1000).toFixed(2)} s, half of them after ${halfVisibleS} s (intake ended at ${(burst.elapsedMs / 1000).toFixed(2)} s); server CPU ${cpuPerMessage?.toFixed(3) ?? '?'} ms per message`,
      }),
      figure({
        bench: BENCH,
        name: 'burst intake (acknowledged/s) against the HMAC+parse floor',
        value: burst.okPerSecond,
        unit: '/s',
        baseline: floor.okPerSecond,
        target: '≥ 0.35× floor',
        pass: intakeRatio >= 0.35,
        note: `ack p99 ${fmtMs(burst.latency.p99)} ms`,
      }),
      figure({
        bench: BENCH,
        name: `steady ${STEADY_PER_SECOND}/s open loop: sent → agent's screen p99`,
        value: lags.length ? lag.p99 : null,
        unit: 'ms',
        target: '≤ 100 ms',
        pass: atMost(lags.length ? lag.p99 : null, 100),
        note: `achieved ${Math.round(steadyRate)}/s; p50 ${fmtMs(lag.p50)} ms, max ${fmtMs(lag.max)} ms`,
      }),
      figure({ bench: BENCH, name: 'deliveries lost, refused or never shown', value: lost, unit: '', target: '0', pass: lost === 0 }),
    ];
  } finally {
    agent?.close();
    await server.stop();
    if (cpuProfDir && window.toUs) logProfile(ctx.log, cpuProfDir, 'server CPU profile from the burst until all of it was on screen', window);
  }
}
