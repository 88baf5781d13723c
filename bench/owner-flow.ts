/**
 * Owner flow: N visitors write R messages a second for 60 s (open loop, over `POST /api/messages`)
 * and everything for the owner goes to the owner's phone on the standalone sandbox, which enforces
 * Meta's pair rate (45 at once, one per 6 s → 131056). A counting pass-through (lib/graph-tap)
 * sees every 131056 on the wire. The owner wrote first, so their window is open. Reported per
 * scenario: forwards and digests sent, the largest gap between a visitor message and the owner's
 * phone getting a message that carries its conversation, 131056s, and how long the queue took to
 * drain once the load stopped — until the last forward or digest was accepted for the phone
 * (target: one budget period, 6 s: what arrives after a digest waits for the next one).
 */
import type { OwnerForwardingStatusJson, OwnerMessageJson } from '@connectdesk/shared';
import type { BenchContext } from './lib/context.ts';
import { freePort } from './lib/free-port.ts';
import { startGraphTap } from './lib/graph-tap.ts';
import { spawnNode, waitForHttp } from './lib/node-process.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { BENCH_APP_SECRET, BENCH_PHONE_NUMBER_ID, adminRequest, signIn, startServer } from './lib/server-process.ts';
import { fmtMs } from './lib/stats.ts';
import { visitorLoad, type SentMessage } from './lib/visitor-load.ts';

const BENCH = 'owner';
const OWNER = '15550100001';
const META_BURST = 45;
const META_INTERVAL_MS = 6000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Scenario {
  visitors: number;
  perSecond: number;
  durationMs: number;
}

async function allLog(url: string, cookie: string): Promise<OwnerMessageJson[]> {
  const out: OwnerMessageJson[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { data: OwnerMessageJson[]; next_cursor: string | null } } = await adminRequest(
      url,
      cookie,
      `/admin/api/settings/owner-forwarding/log?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return out.reverse(); // oldest first
}

/** For each visitor message, how long until a forward or digest carrying its conversation was accepted for the owner's phone. */
function gaps(sent: SentMessage[], carriers: OwnerMessageJson[]): { max: number | null; unreached: number } {
  let max: number | null = null;
  let unreached = 0;
  for (const m of sent) {
    if (!m.conversationId) continue;
    const carrier = carriers.find((c) => Date.parse(c.created_at) >= m.sentAt && c.sent_at && c.lines.some((l) => l.conversation_id === m.conversationId));
    if (!carrier) {
      unreached += 1;
      continue;
    }
    const gap = Date.parse(carrier.sent_at!) - m.sentAt;
    max = max === null ? gap : Math.max(max, gap);
  }
  return { max, unreached };
}

async function runScenario(ctx: BenchContext, sc: Scenario): Promise<Figure[]> {
  const label = `${sc.visitors} visitors × ${sc.perSecond}/s, ${sc.durationMs / 1000} s`;
  const sandboxPort = await freePort();
  const serverPort = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const sandbox = spawnNode({
    name: `owner-sandbox-${sc.visitors}`,
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
  try {
    await waitForHttp(`${sandboxUrl}/sandbox/`, sandbox, 90_000);
    server = await startServer({
      name: `owner-server-${sc.visitors}`,
      logDir: ctx.outDir,
      port: serverPort,
      env: { WHATSAPP_GRAPH_URL: `${tap.url}/sandbox/graph` },
    });
    const cookie = await signIn(server.url);
    const status = async () => (await adminRequest<OwnerForwardingStatusJson>(server!.url, cookie, '/admin/api/settings/owner-forwarding/status')).body;

    // The owner writes first (their 24-hour window opens) and waits for the answer.
    await fetch(`${sandboxUrl}/sandbox/phones/${OWNER}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'text', text: { body: '#help' } }),
    });
    for (let i = 0; i < 300 && ((await (await fetch(`${sandboxUrl}/sandbox/phones/${OWNER}/inbox`)).json()) as unknown[]).length === 0; i++) await sleep(100);

    const name = (v: number) => `V${String(v + 1).padStart(3, '0')}`;
    const startedAt = Date.now();
    const { sent, endedAt } = await visitorLoad({
      url: server.url,
      visitors: sc.visitors,
      perSecond: sc.perSecond,
      durationMs: sc.durationMs,
      name,
      text: (v, n) => `${name(v)} message ${n}: is this in stock?`,
    });
    const refusedByUs = sent.filter((m) => m.status !== 201);
    let drainedAt: number | null = null;
    while (Date.now() - endedAt < 300_000) {
      const st = await status();
      if (st.waiting.messages === 0 && st.sending === 0) {
        drainedAt = Date.now();
        break;
      }
      await sleep(100);
    }
    const log = await allLog(server.url, cookie);
    const carriers = log.filter((m) => m.kind === 'forward' || m.kind === 'digest');
    const forwards = carriers.filter((m) => m.kind === 'forward').length;
    const digests = carriers.length - forwards;
    const { max, unreached } = gaps(sent, carriers);
    const pairRefusals = tap.errorCodes.get(131056) ?? 0;
    // Empty once the last forward or digest was accepted for the owner's phone (the status poll only says when to stop looking).
    const lastSent = Math.max(0, ...carriers.map((c) => (c.sent_at ? Date.parse(c.sent_at) : 0)));
    const drainMs = drainedAt === null ? null : Math.max(0, lastSent - endedAt);
    const spanMs = Math.max(0, (drainedAt ?? Date.now()) - startedAt);
    const allowed = META_BURST + Math.floor(spanMs / META_INTERVAL_MS);
    const toOwner = tap.acceptedAt.length; // the #help answer included
    const otherRefusals = Object.fromEntries([...tap.errorCodes].filter(([c]) => c !== 131056));
    ctx.log(
      `owner (${label}): ${sent.length} visitor messages (${refusedByUs.length} refused), ${forwards} forwards + ${digests} digests (+${log.length - carriers.length} command answers) to the owner; largest gap ${max === null ? '?' : fmtMs(max)} ms; 131056 × ${pairRefusals}; drained ${drainMs === null ? 'never' : `${fmtMs(drainMs)} ms`} after the load; ${toOwner} messages accepted for the owner (Meta allowed ${allowed} in ${(spanMs / 1000).toFixed(0)} s); other Graph refusals ${JSON.stringify(otherRefusals)}, pass-through failures ${tap.tapErrors}`,
    );
    return [
      figure({
        bench: BENCH,
        name: `${label}: forwards + digests to the owner`,
        value: carriers.length,
        unit: '',
        target: `≤ ${allowed} (Meta's pair rate)`,
        pass: atMost(toOwner, allowed) && unreached === 0,
        note: `${forwards} forwards, ${digests} digests for ${sent.length - refusedByUs.length} visitor messages${unreached ? `; ${unreached} never reached the owner` : ''}${refusedByUs.length ? `; ${refusedByUs.length} visitor messages refused` : ''}`,
      }),
      figure({
        bench: BENCH,
        name: `${label}: largest visitor message → owner's phone gap`,
        value: max === null ? null : max / 1000,
        unit: 's',
        target: '',
        pass: null,
      }),
      figure({ bench: BENCH, name: `${label}: 131056 (pair rate) errors`, value: pairRefusals, unit: '', target: '0', pass: pairRefusals === 0 }),
      figure({
        bench: BENCH,
        name: `${label}: drain time after the load stopped`,
        value: drainMs === null ? null : drainMs / 1000,
        unit: 's',
        target: `≤ ${META_INTERVAL_MS / 1000} s (one budget period)`,
        pass: atMost(drainMs, META_INTERVAL_MS),
      }),
    ];
  } finally {
    await server?.stop();
    await tap.close();
    await sandbox.stop();
  }
}

export async function ownerFlow(ctx: BenchContext): Promise<Figure[]> {
  const durationMs = ctx.quick ? 15_000 : 60_000;
  const scenarios: Scenario[] = [
    { visitors: 30, perSecond: 5, durationMs },
    { visitors: ctx.quick ? 200 : 500, perSecond: ctx.quick ? 20 : 35, durationMs },
  ];
  const figures: Figure[] = [];
  for (const sc of scenarios) figures.push(...(await runScenario(ctx, sc)));
  return figures;
}
