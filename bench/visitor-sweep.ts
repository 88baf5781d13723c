/**
 * The visitor path under open-loop load: 500 visitor sockets (five loopback addresses), one agent
 * socket, sandbox mode with owner forwarding on. Messages leave on a fixed schedule — message k at
 * t0 + k/rate from visitor k mod 500, whatever the answers — at rising rates (50 → 500/s, 6 s each,
 * the backlog drained between steps). Latency: `message:send` → the agent's `message:new` for that
 * client_id, from the scheduled send. The knee is the highest rate that, with every rate below it, kept p99 ≤ 50 ms with
 * nothing lost; the server's CPU per message is from /proc over each step.
 *
 * 400 messages/s from 500 visitors is 48 a minute each, above the default 30 per visitor and the
 * per-address limits for 100 visitors an address; the server runs with VISITOR_MESSAGES_PER_MINUTE
 * and VISITOR_LIMITS_PER_ADDRESS set for it (the operator settings for such traffic).
 */
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { AdminClientToServer, AdminServerToClient } from '@connectdesk/shared';
import type { BenchContext } from './lib/context.ts';
import { logProfile, monotonicUs } from './lib/cpu-profile.ts';
import { atLeast, atMost, figure, type Figure } from './lib/report.ts';
import { signIn, startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { connectVisitors, type VisitorSocket } from './lib/visitor-sockets.ts';

const BENCH = 'visitors';
const SOCKETS = 500;
const ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
const TARGET_RATE = 400;

type AgentSocket = Socket<AdminServerToClient, AdminClientToServer>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Step {
  rate: number;
  sent: number;
  p50: number;
  p99: number;
  lost: number;
  cpuPerMessage: number | null;
}

export async function visitorSweep(ctx: BenchContext): Promise<Figure[]> {
  const rates = ctx.quick ? [50, 100, 200] : [50, 100, 200, 300, 400, 500];
  const stepS = ctx.quick ? 3 : 6;
  const cpuProfDir = ctx.profile ? path.join(ctx.outDir, 'cpu-profile-visitors') : undefined;
  const server = await startServer({
    name: 'visitors-server',
    logDir: ctx.outDir,
    env: { VISITOR_MESSAGES_PER_MINUTE: '120', VISITOR_LIMITS_PER_ADDRESS: '60' },
    cpuProfDir,
  });
  const window = { fromUs: 0, toUs: 0 };
  let agent: AgentSocket | null = null;
  let sockets: VisitorSocket[] = [];
  try {
    const cookie = await signIn(server.url);
    agent = io(`${server.url}/admin`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: server.url } });
    await new Promise<void>((resolve, reject) => {
      agent!.once('connect', () => resolve());
      agent!.once('connect_error', reject);
    });
    sockets = await connectVisitors(server.url, { n: SOCKETS, concurrency: 25, addresses: ADDRESSES });
    const sentAt = new Map<string, number>();
    const latencies = new Map<string, number>();
    agent.on('message:new', ({ message }) => {
      const t = message.client_id ? sentAt.get(message.client_id) : undefined;
      if (t !== undefined && !latencies.has(message.client_id!)) latencies.set(message.client_id!, performance.now() - t);
    });
    // Warm-up: every visitor has a conversation before the clock starts.
    await Promise.all(
      sockets.map((s, v) =>
        s
          .timeout(30_000)
          .emitWithAck('message:send', { text: `hello ${v}`, client_id: `warm-${v}` })
          .catch(() => null),
      ),
    );
    await sleep(2_000);

    const steps: Step[] = [];
    let k = 0;
    window.fromUs = monotonicUs();
    for (const rate of rates) {
      const ids: string[] = [];
      let refused = 0;
      const count = rate * stepS;
      const cpuBefore = server.proc.cpuMs();
      const t0 = performance.now();
      const acks: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const v = k++ % SOCKETS;
        const clientId = `sweep-${rate}-${i}`;
        ids.push(clientId);
        sentAt.set(clientId, due);
        acks.push(
          sockets[v]!.timeout(30_000)
            .emitWithAck('message:send', { text: `Message ${i} at ${rate}/s from visitor ${v}`, client_id: clientId })
            .then(
              (res: { ok: boolean }) => void (res.ok ? null : refused++),
              () => void refused++,
            ),
        );
      }
      await Promise.all(acks);
      const deadline = performance.now() + 15_000;
      while (ids.some((id) => !latencies.has(id)) && performance.now() < deadline) await sleep(50);
      const cpuAfter = server.proc.cpuMs();
      const got = ids.flatMap((id) => (latencies.has(id) ? [latencies.get(id)!] : []));
      const s = summarize(got);
      const step = {
        rate,
        sent: count,
        p50: s.p50,
        p99: got.length ? s.p99 : Infinity,
        lost: count - got.length + refused,
        cpuPerMessage: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / count : null,
      };
      steps.push(step);
      ctx.log(
        `visitors: ${rate}/s × ${stepS} s: p50 ${fmtMs(step.p50)} ms, p99 ${fmtMs(step.p99)} ms, lost or refused ${step.lost}, server CPU ${step.cpuPerMessage?.toFixed(2) ?? '?'} ms/message`,
      );
      await sleep(2_000);
    }
    window.toUs = monotonicUs();
    // The knee is where the server bends: a rate counts only if it and every rate below it held.
    const firstMissed = steps.findIndex((s) => !(s.p99 <= 50 && s.lost === 0));
    const knee = (firstMissed === -1 ? steps.at(-1) : steps[firstMissed - 1])?.rate ?? 0;
    const at = steps.find((s) => s.rate === TARGET_RATE);
    return [
      figure({
        bench: BENCH,
        name: `visitor send → agent p99 at ${TARGET_RATE} msg/s open loop (${SOCKETS} sockets)`,
        value: at ? at.p99 : null,
        unit: 'ms',
        target: '≤ 50 ms',
        pass: atMost(at ? at.p99 : null, 50),
        note: at ? `p50 ${fmtMs(at.p50)} ms, lost or refused ${at.lost}` : `not run (--quick goes to ${rates.at(-1)}/s)`,
      }),
      figure({
        bench: BENCH,
        name: 'knee: highest rate with p99 ≤ 50 ms and nothing lost',
        value: knee,
        unit: '/s',
        target: `≥ ${TARGET_RATE}/s`,
        pass: atLeast(knee, TARGET_RATE),
        note: steps.map((s) => `${s.rate}/s → p99 ${fmtMs(s.p99)} ms`).join(', '),
      }),
      figure({
        bench: BENCH,
        name: `server CPU per visitor message at ${at ? TARGET_RATE : rates.at(-1)}/s`,
        value: (at ?? steps.at(-1))?.cpuPerMessage ?? null,
        unit: 'ms',
        target: '',
        pass: null,
        note: 'user + system time of the server process over the step (owner forwarding and the embedded sandbox included)',
      }),
    ];
  } finally {
    for (const s of sockets) s.close();
    agent?.close();
    await server.stop();
    if (cpuProfDir && window.toUs) logProfile(ctx.log, cpuProfDir, 'server CPU profile over the rate steps', window);
  }
}
