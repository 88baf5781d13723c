/**
 * Realtime: 500 visitor sockets (socket.io-client, WebSocket transport) on a server in its own
 * process. First the server's memory per idle visitor socket (RSS before/after connecting them),
 * then every visitor writes a few messages, spread over the window, and we time each from the
 * visitor's `message:send` until the agent socket (`/admin`) receives its `message:new`.
 *
 * Rate limits are respected, not raised: 2 messages per visitor, 15 s apart (limit 30/min), and
 * the 500 new visitors come from five loopback source addresses, 100 each (limit 120 new visitors
 * per IP per minute).
 */
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { AdminClientToServer, AdminServerToClient } from '@connectdesk/shared';
import type { BenchContext } from './lib/context.ts';
import { pacedCommitLatency } from './lib/commit-rate.ts';
import { logProfile, monotonicUs } from './lib/cpu-profile.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { signIn, startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { connectVisitors, settledRss, type VisitorSocket } from './lib/visitor-sockets.ts';

const BENCH = 'realtime';
const MIN_GAP_MS = 5_000;
const SOURCE_ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];

type AgentSocket = Socket<AdminServerToClient, AdminClientToServer>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects `n` visitors round-robin over this benchmark's source addresses. */
const connectMany = (url: string, n: number, concurrency: number, addressOffset = 0) =>
  connectVisitors(url, { n, concurrency, addresses: SOURCE_ADDRESSES, addressOffset });

export async function realtime(ctx: BenchContext): Promise<Figure[]> {
  const visitors = ctx.quick ? 150 : 500;
  // 500 visitors × 2 messages, one every 15 s each ≈ 33 messages/s: a busy site, everyone chatting.
  const perVisitor = 2;
  const windowMs = ctx.quick ? 16_000 : 30_000;
  const cpuProfDir = ctx.profile ? path.join(ctx.outDir, 'cpu-profile-realtime') : undefined;
  const window = { fromUs: 0, toUs: 0 };
  const server = await startServer({ name: 'realtime-server', logDir: ctx.outDir, cpuProfDir });
  const all: VisitorSocket[] = [];
  let agent: AgentSocket | null = null;
  try {
    const cookie = await signIn(server.url);
    agent = io(`${server.url}/admin`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: server.url } });
    await new Promise<void>((resolve, reject) => {
      agent!.once('connect', () => resolve());
      agent!.once('connect_error', reject);
    });

    // Warm the code paths (handshake, first message, agent push) before measuring anything.
    const warm = await connectMany(server.url, 10, 5, 4);
    await Promise.all(warm.map((s, i) => new Promise((resolve) => s.emit('message:send', { text: `warm-up ${i}`, client_id: `warm-${i}` }, resolve))));
    for (const s of warm) s.close();

    // 1. Memory per idle visitor socket.
    const rssBefore = await settledRss(() => server.rssBytes(), 2000);
    const t0 = performance.now();
    all.push(...(await connectMany(server.url, visitors, 25)));
    const connectMs = performance.now() - t0;
    const rssAfter = await settledRss(() => server.rssBytes(), 3000);
    const perSocket = rssBefore !== null && rssAfter !== null ? (rssAfter - rssBefore) / visitors : null;
    ctx.log(
      `realtime: ${visitors} visitors connected in ${(connectMs / 1000).toFixed(1)} s; server RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB = ${perSocket === null ? '?' : (perSocket / 1024).toFixed(1)} KB per idle socket`,
    );

    // 2. Visitor → agent latency.
    const sentAt = new Map<string, number>();
    const toAgent: number[] = [];
    const toAck: number[] = [];
    let ackErrors = 0;
    const errorCodes = new Map<string, number>();
    agent.on('message:new', ({ message }) => {
      const id = message.client_id;
      if (!id) return;
      const t = sentAt.get(id);
      if (t === undefined) return;
      toAgent.push(performance.now() - t);
      sentAt.delete(id);
    });
    const sends: Promise<void>[] = [];
    const schedule: { at: number; v: number; k: number }[] = [];
    // Each visitor writes every `slot` ms from a random phase, so the load is even over the window
    // and a visitor's messages are at least MIN_GAP_MS apart (people take a while to type).
    const slot = Math.max(MIN_GAP_MS, windowMs / perVisitor);
    for (let v = 0; v < all.length; v++) {
      const phase = Math.random() * slot;
      for (let k = 0; k < perVisitor; k++) schedule.push({ at: phase + k * slot, v, k });
    }
    schedule.sort((a, b) => a.at - b.at);
    window.fromUs = monotonicUs();
    const cpuBefore = server.proc.cpuMs();
    const start = performance.now();
    for (const s of schedule) {
      const wait = start + s.at - performance.now();
      if (wait > 1) await sleep(wait);
      const clientId = `bench-${s.v}-${s.k}`;
      const t = performance.now();
      sentAt.set(clientId, t);
      sends.push(
        new Promise<void>((resolve) => {
          all[s.v]!.timeout(15_000).emit(
            'message:send',
            { text: `Hello from visitor ${s.v}, message ${s.k}`, client_id: clientId },
            (err: Error | null, res?: { ok: boolean; error?: { code: string } }) => {
              if (err || !res?.ok) {
                ackErrors += 1;
                const code = err ? 'ack timeout' : (res?.error?.code ?? 'unknown');
                errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
                sentAt.delete(clientId);
              } else toAck.push(performance.now() - t);
              resolve();
            },
          );
        }),
      );
    }
    const sendSpanMs = performance.now() - start;
    await Promise.all(sends);
    const deadline = performance.now() + 10_000;
    while (sentAt.size > 0 && performance.now() < deadline) await sleep(50);
    window.toUs = monotonicUs();
    const cpuAfter = server.proc.cpuMs();
    const missing = sentAt.size;
    const total = schedule.length;
    const a = summarize(toAgent);
    const k = summarize(toAck);
    ctx.log(
      `realtime: ${total} messages in ${(sendSpanMs / 1000).toFixed(1)} s (${Math.round((total / sendSpanMs) * 1000)}/s); send→agent p50 ${fmtMs(a.p50)} p99 ${fmtMs(a.p99)} max ${fmtMs(a.max)} ms; send→ack p50 ${fmtMs(k.p50)} p99 ${fmtMs(k.p99)} ms; ack errors ${ackErrors} ${JSON.stringify(Object.fromEntries(errorCodes))}; never reached the agent ${missing}`,
    );
    // The floor under both latencies: a visitor's message is acknowledged (and shown) once it is
    // committed, and this disk's fsync tail moves from minute to minute. Same rate, same disk, now.
    const rate = (total / sendSpanMs) * 1000;
    const floor = await pacedCommitLatency(rate, Math.min(sendSpanMs, 20_000));
    ctx.log(
      `realtime: bare durable commit at ${Math.round(rate)}/s on the same disk: p50 ${fmtMs(floor.p50Ms)} p99 ${fmtMs(floor.p99Ms)} ms (${floor.commits} commits)`,
    );
    const problems = ackErrors + missing;
    // Everything each message sets off counts: the forward to the owner, the embedded sandbox's
    // status webhooks, the notices to agents.
    const cpuPerMessage = cpuBefore !== null && cpuAfter !== null && total ? (cpuAfter - cpuBefore) / total : null;
    ctx.log(`realtime: server CPU ${cpuPerMessage === null ? '?' : cpuPerMessage.toFixed(2)} ms per visitor message`);
    return [
      figure({
        bench: BENCH,
        name: `visitor send → agent message:new p99 (${visitors} sockets, ${Math.round((total / sendSpanMs) * 1000)} msg/s)`,
        value: toAgent.length ? a.p99 : null,
        unit: 'ms',
        baseline: floor.p99Ms,
        target: '≤ 50 ms',
        pass: atMost(toAgent.length ? a.p99 : null, 50),
        note: `${total} messages at ${Math.round((total / sendSpanMs) * 1000)}/s; p50 ${fmtMs(a.p50)} ms, max ${fmtMs(a.max)} ms; baseline: one bare durable commit at the same rate, same disk, same run`,
      }),
      figure({
        bench: BENCH,
        name: 'bare durable SQLite commit p99 at the same rate (same disk, same run)',
        value: floor.p99Ms,
        unit: 'ms',
        target: '',
        pass: null,
        note: `p50 ${fmtMs(floor.p50Ms)} ms over ${floor.commits} one-row commits (WAL, synchronous=FULL)`,
      }),
      figure({
        bench: BENCH,
        name: 'server CPU per visitor message',
        value: cpuPerMessage,
        unit: 'ms',
        target: '',
        pass: null,
        note: 'user + system time of the server process over the send window, divided by the messages sent (includes the owner forward and the embedded sandbox)',
      }),
      figure({ bench: BENCH, name: 'visitor send → stored ack p99', value: toAck.length ? k.p99 : null, unit: 'ms', target: '', pass: null }),
      figure({
        bench: BENCH,
        name: 'messages lost or refused',
        value: problems,
        unit: '',
        target: '0',
        pass: problems === 0,
        note: problems ? `ack errors ${JSON.stringify(Object.fromEntries(errorCodes))}, never reached the agent ${missing}` : undefined,
      }),
      figure({
        bench: BENCH,
        name: 'server RSS per idle visitor socket',
        value: perSocket === null ? null : perSocket / 1024,
        unit: 'KB',
        target: '',
        pass: null,
        note: `server RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB for ${visitors} sockets (separate process; includes V8 heap growth not yet collected)`,
      }),
    ];
  } finally {
    for (const s of all) s.close();
    agent?.close();
    await server.stop();
    if (cpuProfDir && window.toUs) logProfile(ctx.log, cpuProfDir, 'server CPU profile while visitors were writing', window);
  }
}

function mb(bytes: number | null): string {
  return bytes === null ? '?' : (bytes / 2 ** 20).toFixed(1);
}
