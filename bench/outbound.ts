/**
 * Outbound: one business number against the sandbox's 80 messages/s limit. The standalone sandbox
 * runs in its own process; the server sends to it through a counting pass-through (lib/graph-tap),
 * so the send rate and every 130429 are observed on the wire. Simulated phones write in first
 * (opening their 24-hour windows and creating WhatsApp conversations through signed webhooks),
 * then agent replies are posted as fast as the admin API takes them and the outbox drains them.
 */
import path from 'node:path';
import type { BenchContext } from './lib/context.ts';
import { logProfile, monotonicUs } from './lib/cpu-profile.ts';
import { freePort } from './lib/free-port.ts';
import { startGraphTap } from './lib/graph-tap.ts';
import { spawnNode, waitForHttp } from './lib/node-process.ts';
import { atLeast, figure, type Figure } from './lib/report.ts';
import { BENCH_APP_SECRET, BENCH_PHONE_NUMBER_ID, adminRequest, signIn, startServer } from './lib/server-process.ts';
import { fmtMs, summarize } from './lib/stats.ts';

const BENCH = 'outbound';
const TARGET_MPS = 78;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items`, `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** The highest and lowest count of sends in any 1-second window fully inside [from, to]. */
function windowRates(times: number[], from: number, to: number): { min: number; max: number } {
  let min = Infinity;
  let max = 0;
  for (let start = from; start + 1000 <= to; start += 100) {
    let n = 0;
    for (const t of times) if (t >= start && t < start + 1000) n += 1;
    min = Math.min(min, n);
    max = Math.max(max, n);
  }
  return { min: Number.isFinite(min) ? min : NaN, max };
}

export async function outbound(ctx: BenchContext): Promise<Figure[]> {
  const phones = ctx.quick ? 200 : 600;
  const replies = ctx.quick ? 500 : 2400;
  const sandboxPort = await freePort();
  const serverPort = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

  const sandbox = spawnNode({
    name: 'outbound-sandbox',
    script: 'server/src/sandbox/standalone.ts',
    logDir: ctx.outDir,
    env: {
      PORT: String(sandboxPort),
      HOST: '127.0.0.1',
      WHATSAPP_APP_SECRET: BENCH_APP_SECRET,
      WHATSAPP_PHONE_NUMBER_ID: BENCH_PHONE_NUMBER_ID,
      SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${serverPort}/api/whatsapp/webhook`,
      LOG_LEVEL: 'warn',
    },
  });
  const tap = await startGraphTap(sandboxUrl);
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  const cpuProfDir = ctx.profile ? path.join(ctx.outDir, 'cpu-profile-outbound') : undefined;
  const window = { fromUs: 0, toUs: 0 };
  try {
    await waitForHttp(`${sandboxUrl}/sandbox/`, sandbox, 90_000);
    server = await startServer({
      name: 'outbound-server',
      logDir: ctx.outDir,
      port: serverPort,
      env: { WHATSAPP_GRAPH_URL: `${tap.url}/sandbox/graph` },
      cpuProfDir,
    });
    const cookie = await signIn(server.url);

    // 1. Phones write in → signed webhooks → WhatsApp conversations with open windows.
    const waIds = Array.from({ length: phones }, (_, i) => `4915${String(20_000_000 + i)}`);
    let phoneErrors = 0;
    await pool(waIds, 8, async (waId, i) => {
      const res = await fetch(`${sandboxUrl}/sandbox/phones/${waId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'text', text: { body: `Hi, question ${i} about my order` }, profile_name: `Phone ${i}` }),
      });
      await res.arrayBuffer();
      if (!res.ok) phoneErrors += 1;
    });
    if (phoneErrors) throw new Error(`${phoneErrors} of ${phones} simulated phones could not write in`);

    const byWaId = new Map<string, string>();
    const deadline = Date.now() + 60_000;
    while (byWaId.size < phones && Date.now() < deadline) {
      let cursor: string | null = null;
      do {
        const q: string = `/admin/api/conversations?channel=whatsapp&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await adminRequest<{ data: { id: string; contact: { wa_id: string | null } }[]; next_cursor: string | null }>(server.url, cookie, q);
        if (page.status !== 200) throw new Error(`GET ${q} → ${page.status} ${JSON.stringify(page.body).slice(0, 200)}`);
        for (const c of page.body.data) if (c.contact.wa_id && waIds.includes(c.contact.wa_id)) byWaId.set(c.contact.wa_id, c.id);
        cursor = page.body.next_cursor;
      } while (cursor);
      if (byWaId.size < phones) await sleep(500);
    }
    if (byWaId.size < phones) throw new Error(`only ${byWaId.size} of ${phones} WhatsApp conversations appeared (is the webhook intake running?)`);
    ctx.log(`outbound: ${phones} phones wrote in; ${byWaId.size} WhatsApp conversations`);

    // 2. Agent replies, round-robin over the conversations, as fast as the API takes them.
    const conversations = waIds.map((w) => byWaId.get(w)!);
    const sendsBefore = tap.acceptedAt.length;
    const postErrors = new Map<string, number>();
    const postMs: number[] = [];
    window.fromUs = monotonicUs();
    const t0 = performance.now();
    await pool(
      Array.from({ length: replies }, (_, i) => i),
      16,
      async (i) => {
        const r = await adminRequest<{ error?: { code: string } }>(
          server!.url,
          cookie,
          `/admin/api/conversations/${conversations[i % conversations.length]}/messages`,
          {
            body: { message_type: 'text', text: `Thanks for writing! Reply ${i}: your order ships today.` },
          },
        );
        postMs.push(r.ms);
        if (r.status !== 201) {
          const code = `${r.status} ${r.body?.error?.code ?? ''}`.trim();
          postErrors.set(code, (postErrors.get(code) ?? 0) + 1);
        }
      },
    );
    const postEnd = performance.now();
    const postSpanMs = postEnd - t0;
    const accepted = replies - [...postErrors.values()].reduce((a, b) => a + b, 0);
    const post = summarize(postMs);
    ctx.log(
      `outbound: posted ${replies} replies in ${(postSpanMs / 1000).toFixed(1)} s (${Math.round((replies / postSpanMs) * 1000)}/s, 16 at a time; POST p50 ${fmtMs(post.p50)} ms p99 ${fmtMs(post.p99)} ms); refused ${JSON.stringify(Object.fromEntries(postErrors))}`,
    );

    // 3. Wait for the outbox to drain them all (or to stop making progress).
    let last = tap.acceptedAt.length;
    let lastGrowth = performance.now();
    while (tap.acceptedAt.length - sendsBefore < accepted && performance.now() - lastGrowth < 15_000 && performance.now() - t0 < 300_000) {
      await sleep(200);
      if (tap.acceptedAt.length > last) {
        last = tap.acceptedAt.length;
        lastGrowth = performance.now();
      }
    }
    window.toUs = monotonicUs();
    const sends = tap.acceptedAt.slice(sendsBefore);
    const first = sends[0] ?? t0;
    const lastAt = sends[sends.length - 1] ?? t0;
    const spanS = (lastAt - first) / 1000;
    const overall = sends.length > 1 ? (sends.length - 1) / spanS : null;
    // Steady state: skip the first and the last second (ramp-up, tail).
    const steady = spanS > 3 ? windowRates(sends, first + 1000, lastAt - 1000) : { min: NaN, max: NaN };
    // Once every reply is posted, the outbox drains its backlog with no API writes competing.
    const tail = sends.filter((t) => t > postEnd);
    const tailS = (lastAt - postEnd) / 1000;
    const drain = tail.length >= 80 && tailS > 0 ? tail.length / tailS : null;
    const throttled = tap.errorCodes.get(130429) ?? 0;
    const otherErrors = [...tap.errorCodes.entries()].filter(([c]) => c !== 130429);
    ctx.log(
      `outbound: the sandbox accepted ${sends.length}/${accepted} sends in ${spanS.toFixed(1)} s = ${overall?.toFixed(1) ?? '?'}/s; steady 1-s windows min ${steady.min} max ${steady.max}; 130429 × ${throttled}; other refusals ${JSON.stringify(Object.fromEntries(otherErrors))}; pass-through failures ${tap.tapErrors}`,
    );

    const phonesView = await fetch(`${sandboxUrl}/sandbox/phones`).then((r) => r.json() as Promise<{ wa_id: string; received: number }[]>);
    const received = phonesView.filter((p) => waIds.includes(p.wa_id)).reduce((a, p) => a + p.received, 0);
    return [
      figure({
        bench: BENCH,
        name: 'sends/s to one number (mean over the run)',
        value: overall,
        unit: '/s',
        baseline: 80,
        target: `≥ ${TARGET_MPS}/s`,
        pass: atLeast(overall, TARGET_MPS),
        note: `baseline = the sandbox's 80 mps limit; ${sends.length} sends in ${spanS.toFixed(1)} s; slowest steady 1-s window ${steady.min}/s, fastest ${steady.max}/s; replies posted at ${Math.round((replies / postSpanMs) * 1000)}/s (POST p50 ${fmtMs(post.p50)} ms)`,
      }),
      figure({
        bench: BENCH,
        name: 'outbox drain rate after the last reply was posted',
        value: drain,
        unit: '/s',
        baseline: 80,
        target: '',
        pass: null,
        note:
          drain === null
            ? `only ${tail.length} sends were left when posting ended (too few to measure a drain rate)`
            : `${tail.length} queued sends drained in ${tailS.toFixed(1)} s`,
      }),
      figure({ bench: BENCH, name: '130429 (throughput) errors', value: throttled, unit: '', target: '0', pass: throttled === 0 }),
      figure({
        bench: BENCH,
        name: `replies delivered to phones of ${accepted} accepted`,
        value: received,
        unit: '',
        target: `${accepted}`,
        pass: received >= accepted && postErrors.size === 0,
        note:
          otherErrors.length || postErrors.size
            ? `Graph refusals ${JSON.stringify(Object.fromEntries(otherErrors))}; API refusals ${JSON.stringify(Object.fromEntries(postErrors))}`
            : undefined,
      }),
    ];
  } finally {
    await server?.stop();
    await tap.close();
    await sandbox.stop();
    if (cpuProfDir && window.toUs) logProfile(ctx.log, cpuProfDir, 'server CPU profile while replies were posted and sent', window);
  }
}
