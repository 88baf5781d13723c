/**
 * Signed webhook intake: inbound text messages from 400 contacts over 32 connections against
 * `POST /api/whatsapp/webhook`, then the same load against a bare Node server that only reads,
 * verifies and parses (bench/baseline-server.ts). Afterwards every acknowledged message must be
 * in the messages table ("applied: N/N").
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { runCannon, type CannonResult } from './lib/cannon.ts';
import { durableCommitsPerSecond } from './lib/commit-rate.ts';
import type { BenchContext } from './lib/context.ts';
import { mainThreadProfile, monotonicUs, renderProfile, summariseProfile } from './lib/cpu-profile.ts';
import { countAllMessages, countMessagesWithWamidPrefix, openServerDb, storedWamids, waitForCount } from './lib/db-probe.ts';
import { spawnNode } from './lib/node-process.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { BENCH_APP_SECRET, BENCH_PHONE_NUMBER_ID, startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { steadyFeed } from './lib/steady-feed.ts';
import { signedTextWebhooks, type SignedBody } from './lib/webhook-bodies.ts';

const BENCH = 'webhook';
const CONNECTIONS = 32;
const CONTACTS = 400;
const PATH = '/api/whatsapp/webhook';
/** After the burst: a steady stream well inside what the server applies, to see applying keep up. */
const STEADY_PER_SECOND = 500;

function requestFor(b: SignedBody) {
  return {
    method: 'POST' as const,
    path: PATH,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': b.signature, 'user-agent': 'facebookexternalua' },
    body: b.body,
  };
}

/**
 * Hands out each body once (the server dedupes by wamid, so reuse would measure the dedupe path),
 * noting on the connection's context which wamid is in flight, so its 200 can be credited to it.
 */
function uniqueFeed(bodies: SignedBody[]) {
  let i = 0;
  return (context: Record<string, unknown>) => {
    const b = bodies[i++];
    if (!b) throw new Error('ran out of pre-signed bodies');
    context.wamid = b.wamid;
    return requestFor(b);
  };
}

function cyclingFeed(bodies: SignedBody[]) {
  let i = 0;
  return () => requestFor(bodies[i++ % bodies.length]!);
}

function describe(r: CannonResult): string {
  const codes = Object.entries(r.statusCounts)
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  return `${r.responses} responses in ${(r.elapsedMs / 1000).toFixed(1)} s → ${Math.round(r.okPerSecond)}/s 2xx; p50 ${fmtMs(r.latency.p50)} ms, p99 ${fmtMs(r.latency.p99)} ms, max ${fmtMs(r.latency.max)} ms; status ${codes || 'none'}; errors ${r.errors}, timeouts ${r.timeouts}`;
}

export async function webhookIntake(ctx: BenchContext): Promise<Figure[]> {
  const durationS = ctx.quick ? 5 : 20;
  const runId = Date.now().toString(36).toUpperCase();
  // Enough unique bodies for 20,000/s over the measured window (0.25× of the fastest baseline seen
  // here is ~14,000/s; the server has reached 16,000/s), so the count never caps the figure; the
  // run ends early if they run out.
  const measuredCount = durationS * 20_000;
  const warmCount = ctx.quick ? 1_000 : 3_000;
  ctx.log(`webhook: signing ${measuredCount + warmCount} bodies from ${CONTACTS} contacts`);
  const sign = (count: number, prefix: string) =>
    signedTextWebhooks({ count, contacts: CONTACTS, phoneNumberId: BENCH_PHONE_NUMBER_ID, appSecret: BENCH_APP_SECRET, wamidPrefix: prefix });
  const warmPrefix = `wamid.BENCHW${runId}.`;
  const warmBodies = sign(warmCount, warmPrefix);
  const measuredPrefix = `wamid.BENCHM${runId}.`;
  const bodies = sign(measuredCount, measuredPrefix);

  // 1. The baseline, on its own process, same load shape, fixed duration.
  const baselineProc = spawnNode({
    name: 'webhook-baseline',
    script: 'bench/baseline-server.ts',
    env: { PORT: '0', WHATSAPP_APP_SECRET: BENCH_APP_SECRET },
    logDir: ctx.outDir,
  });
  let baseline: CannonResult;
  try {
    const m = await baselineProc.waitForLine(/baseline listening on (\d+)/, 60_000);
    const url = `http://127.0.0.1:${m[1]}`;
    await runCannon({ url, connections: CONNECTIONS, durationS: 2, next: cyclingFeed(warmBodies), maxMs: 10_000 });
    baseline = await runCannon({ url, connections: CONNECTIONS, durationS, next: cyclingFeed(bodies), maxMs: (durationS + 10) * 1000 });
    ctx.log(`webhook baseline: ${describe(baseline)}`);
  } finally {
    await baselineProc.stop();
  }

  // What one fsync'd commit costs here: the ceiling for anything that commits once per message.
  const commits = await durableCommitsPerSecond(ctx.quick ? 2_000 : 5_000, 50_000);
  ctx.log(`webhook: SQLite (WAL, synchronous=FULL) one-row commits: ${Math.round(commits.perSecond)}/s, p99 ${fmtMs(commits.p99Ms)} ms`);

  // 2. The server.
  const cpuProfDir = ctx.profile ? path.join(ctx.outDir, 'cpu-profile-webhook') : undefined;
  const server = await startServer({ name: 'webhook-server', logDir: ctx.outDir, cpuProfDir });
  const figures: Figure[] = [];
  const windows = { loadFrom: 0, loadTo: 0, drainTo: 0 };
  // A reader beside the server (WAL), to see what was stored.
  const db = openServerDb(server.dataDir);
  try {
    const probe = await fetch(server.url + PATH, requestFor(warmBodies[0]!));
    await probe.arrayBuffer();
    if (probe.status === 404) {
      const note = `POST ${PATH} answered 404: the webhook intake is not mounted in this build`;
      ctx.log(`webhook: ${note}`);
      return [
        figure({
          bench: BENCH,
          name: 'signed webhooks/s (32 conns)',
          value: null,
          unit: '/s',
          baseline: baseline.okPerSecond,
          target: '≥ 2000/s',
          pass: null,
          note,
        }),
      ];
    }
    const unsigned = await fetch(server.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: warmBodies[1]!.body });
    await unsigned.arrayBuffer();
    if (unsigned.status !== 401) ctx.log(`webhook: WARNING an unsigned delivery got ${unsigned.status}, expected 401`);

    const warm = await runCannon({
      url: server.url,
      connections: CONNECTIONS,
      amount: warmCount - 2 - 2 * CONNECTIONS,
      next: uniqueFeed(warmBodies.slice(2)),
      maxMs: 60_000,
    });
    // Start the measured load on a server that has applied its warm-up, not on its backlog.
    const warmApplied = await waitForCount(() => countMessagesWithWamidPrefix(db, warmPrefix), warm.ok2xx, {
      timeoutMs: 300_000,
      stallMs: 30_000,
      progress: () => countAllMessages(db),
    });
    ctx.log(
      `webhook: warm-up ${warm.ok2xx} acked at ${Math.round(warm.okPerSecond)}/s, applied ${warmApplied.n} within ${(warmApplied.ms / 1000).toFixed(1)} s`,
    );
    const rssBefore = server.rssBytes();
    windows.loadFrom = monotonicUs();
    const acked = new Set<string>();
    const result = await runCannon({
      url: server.url,
      connections: CONNECTIONS,
      onResponse: (status, context) => {
        if (status >= 200 && status < 300) acked.add(context.wamid as string);
      },
      // autocannon builds each connection's next request before it knows the run is over.
      amount: measuredCount - 2 * CONNECTIONS,
      next: uniqueFeed(bodies),
      maxMs: durationS * 1000,
      timeoutS: 10,
    });
    const rssAfter = server.rssBytes();
    windows.loadTo = monotonicUs();
    ctx.log(`webhook server: ${describe(result)}`);

    // 3. Everything acknowledged is stored and applied.
    let applied: { n: number; ms: number };
    let stored: Set<string>;
    try {
      applied = await waitForCount(() => countMessagesWithWamidPrefix(db, measuredPrefix), acked.size, {
        timeoutMs: 900_000,
        stallMs: 30_000,
        progress: () => countAllMessages(db),
      });
      // The count may include requests cut off in flight; make sure it is the acknowledged ones.
      stored = await storedWamids(db, measuredPrefix);
      const t0 = performance.now();
      let missing = [...acked].filter((w) => !stored.has(w)).length;
      let lastGrowth = performance.now();
      while (missing > 0 && performance.now() - lastGrowth < 30_000 && performance.now() - t0 < 120_000) {
        await new Promise((r) => setTimeout(r, 1000));
        stored = await storedWamids(db, measuredPrefix);
        const now = [...acked].filter((w) => !stored.has(w)).length;
        if (now < missing) lastGrowth = performance.now();
        missing = now;
      }
      applied.ms += performance.now() - t0;
    } finally {
      windows.drainTo = monotonicUs();
    }
    // Each acknowledged wamid must be a messages row. Requests cut off by the time bound may be
    // stored without their 200 having arrived: those are extra, not a loss.
    const appliedOfAcked = [...acked].filter((w) => stored.has(w)).length;
    const inFlight = stored.size - appliedOfAcked;
    if (acked.size !== result.ok2xx) ctx.log(`webhook: WARNING ${result.ok2xx} 2xx counted but ${acked.size} distinct wamids credited`);
    const applyRate = applied.n / ((result.elapsedMs + applied.ms) / 1000);
    const appliedNote = `applied: ${appliedOfAcked}/${acked.size}${inFlight ? ` (+${inFlight} cut off in flight by the time bound, stored too)` : ''}; the last one ${(applied.ms / 1000).toFixed(1)} s after the load ended`;
    ctx.log(`webhook: ${appliedNote}; apply rate ${Math.round(applyRate)}/s; server RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB`);

    // 4. A steady stream after the burst: with the database's spare time, applying keeps up.
    const steadyPrefix = `wamid.BENCHS${runId}.`;
    const steadyBodies = sign(STEADY_PER_SECOND * (ctx.quick ? 5 : 10), steadyPrefix);
    const steady = await steadyFeed({ url: server.url, path: PATH, bodies: steadyBodies, perSecond: STEADY_PER_SECOND });
    await waitForCount(() => countMessagesWithWamidPrefix(db, steadyPrefix), steady.ackedAt.size, { timeoutMs: 120_000, stallMs: 30_000 });
    const appliedAt = await appliedTimes(db, steadyPrefix);
    const lags = [...steady.ackedAt].map(([wamid, at]) => Math.max(0, (appliedAt.get(wamid) ?? Infinity) - at));
    const lag = summarize(lags);
    const steadyRate = steady.ackedAt.size / (steady.elapsedMs / 1000);
    ctx.log(
      `webhook: steady ${Math.round(steadyRate)}/s for ${(steady.elapsedMs / 1000).toFixed(1)} s: ${steady.ackedAt.size} acked, ${steady.failed} failed; ack → applied p50 ${fmtMs(lag.p50)} ms, p99 ${fmtMs(lag.p99)} ms, max ${fmtMs(lag.max)} ms`,
    );

    const failed = result.non2xx + result.errors + result.timeouts;
    figures.push(
      figure({
        bench: BENCH,
        name: 'signed webhooks/s (32 conns)',
        value: result.okPerSecond,
        unit: '/s',
        baseline: baseline.okPerSecond,
        target: '≥ 2000/s and ≥ 0.25× baseline',
        pass: result.okPerSecond >= 2000 && result.okPerSecond >= 0.25 * baseline.okPerSecond,
        note: `baseline = bare node:http + HMAC + JSON.parse; ${result.ok2xx} acknowledged in ${(result.elapsedMs / 1000).toFixed(1)} s`,
      }),
      figure({
        bench: BENCH,
        name: 'webhook p99 latency',
        value: result.latency.p99,
        unit: 'ms',
        baseline: baseline.latency.p99,
        target: '≤ 100 ms',
        pass: atMost(result.latency.p99, 100),
      }),
      figure({ bench: BENCH, name: 'webhook p50 latency', value: result.latency.p50, unit: 'ms', baseline: baseline.latency.p50, target: '', pass: null }),
      figure({
        bench: BENCH,
        name: 'webhook errors (non-2xx, socket, timeout)',
        value: failed,
        unit: '',
        target: '0',
        pass: failed === 0,
        note: failed ? `status ${JSON.stringify(result.statusCounts)}, errors ${result.errors}, timeouts ${result.timeouts}` : undefined,
      }),
      figure({
        bench: BENCH,
        name: `applied (stored as messages) of ${acked.size} acked`,
        value: appliedOfAcked,
        unit: '',
        target: `${acked.size}/${acked.size}`,
        pass: acked.size > 0 && appliedOfAcked === acked.size,
        note: appliedNote,
      }),
      figure({
        bench: BENCH,
        name: 'SQLite durable one-row commits/s (context)',
        value: commits.perSecond,
        unit: '/s',
        target: '',
        pass: null,
        note: `WAL + synchronous=FULL on this disk, back to back, p99 ${fmtMs(commits.p99Ms)} ms: the ceiling for one commit per message`,
      }),
      figure({
        bench: BENCH,
        name: 'apply rate (ack → messages row)',
        value: applyRate,
        unit: '/s',
        target: '',
        pass: null,
        note: 'messages applied per second from the start of the load until the last one was in',
      }),
      figure({
        bench: BENCH,
        name: `steady ${STEADY_PER_SECOND}/s: ack → applied p99`,
        value: lag.p99,
        unit: 'ms',
        target: '',
        pass: null,
        note: `open loop, ${steady.ackedAt.size} deliveries after the burst was applied (${steady.failed} failed); p50 ${fmtMs(lag.p50)} ms, max ${fmtMs(lag.max)} ms: applying keeps up with a stream it has room for`,
      }),
    );
  } finally {
    await db.destroy();
    await server.stop();
  }

  if (cpuProfDir) {
    const file = mainThreadProfile(cpuProfDir);
    if (file && windows.loadTo) {
      ctx.log(`\n${renderProfile(summariseProfile(file, 20, { fromUs: windows.loadFrom, toUs: windows.loadTo }), 'server CPU profile during the load')}`);
      if (windows.drainTo - windows.loadTo > 1_000_000) {
        ctx.log(
          `\n${renderProfile(summariseProfile(file, 12, { fromUs: windows.loadTo, toUs: windows.drainTo }), 'server CPU profile after the load, until everything was applied')}`,
        );
      }
      ctx.log(`(profile: ${file})\n`);
    } else if (file) ctx.log(`\n${renderProfile(summariseProfile(file, 20))}\n(profile: ${file})\n`);
    else ctx.log('webhook: no CPU profile was written (did the server exit cleanly?)');
  }
  return figures;
}

function mb(bytes: number | null): string {
  return bytes === null ? '?' : (bytes / 2 ** 20).toFixed(0);
}

/** wamid → when it was applied (the messages row's created_at, ms since the epoch). */
async function appliedTimes(db: Knex, prefix: string): Promise<Map<string, number>> {
  const rows = await db<{ wamid: string; created_at: number | string }>('messages')
    .where('wamid', '>=', prefix)
    .andWhere('wamid', '<', prefix + '\uffff')
    .select('wamid', 'created_at');
  return new Map(rows.map((r) => [r.wamid, Number(r.created_at)]));
}
