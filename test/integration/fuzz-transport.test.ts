/**
 * One request must never take the server down. The real server runs as a child process (so a
 * crash is a dead process, not a failed assertion in this one), and in seeded batches it gets:
 * malformed engine.io / socket.io traffic over long-polling and WebSocket (bad EIO versions, bad
 * sids, garbage, oversized and binary payloads, half-open and overlapping polls, wrong packet
 * types, unknown namespaces, broken WebSocket frames and upgrades), random HTTP methods (OPTIONS,
 * PROPFIND, CONNECT-like garbage...) and hostile headers (huge, duplicated, contradictory
 * Content-Length / Transfer-Encoding, bad Content-Type, cookies, Origin) at every path it serves.
 *
 * After each batch the process must be alive and `/healthz` 200; no response may be a 500, and no
 * error response may carry a stack, a file path or a secret. Bounded to a few hundred cases;
 * FUZZ_SEED=<n> replays a run, FUZZ_SEED=random explores.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cluster.ts';
import { APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, ServerProcess } from '../support/process.ts';
import { rawRequest, requestBytes, type RawResponse } from '../support/raw-http.ts';
import { ADMIN } from '../support/server.ts';
import { prng, type FuzzCase, type FuzzTarget, type Rng } from '../support/fuzz-basics.ts';
import { httpCase, jsonBodyCase } from '../support/fuzz-http-cases.ts';
import { pollingCase, webSocketCase } from '../support/fuzz-socket-cases.ts';

const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 13_2026);
const BATCHES = 12;
const CASES_PER_BATCH = 30;
const CONCURRENCY = 6;
const WABA_ID = '200000000000001';
const WA_ID = '447700900123';

/** What an error response must never show: stack frames, source paths, driver errors, secrets. */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\n\s+at \S.*:\d+:\d+/],
  ['a source path', new RegExp(`${ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|node_modules|server/src/`)],
  ['a database error', /SQLITE_|knex|sqlite3|syntax error at/i],
  ['a Node error', /ERR_[A-Z_]{4,}|TypeError|ReferenceError|Cannot read propert/],
  ['a secret', new RegExp(`${APP_SECRET}|${VERIFY_TOKEN}|${ADMIN.password}|hunter2-hunter2`)],
];

function problemWith(res: RawResponse): string | null {
  if (res.status === 500) return 'answered 500';
  if (res.status !== null && res.status >= 400) {
    for (const [what, re] of LEAKS) if (re.test(res.text)) return `an error response shows ${what}`;
  }
  return null;
}

/** Every path the server serves, with real parameters where it has them. */
function servedPaths(ids: { conversationId: string; messageId: string; visitorToken: string }): string[] {
  const widget = fs
    .readdirSync(path.join(ROOT, 'widget/dist'))
    .filter((f) => f !== 'widget.js')
    .map((f) => `/widget/${f}`);
  const admin = fs.readdirSync(path.join(ROOT, 'admin/dist/assets')).map((f) => `/admin/assets/${f}`);
  const c = ids.conversationId;
  return [
    '/healthz',
    '/',
    '/widget.js',
    ...widget,
    '/admin',
    '/admin/',
    '/admin/inbox',
    ...admin,
    // public visitor API
    '/api/widget/config',
    '/api/messages',
    `/api/messages?visitor_token=${ids.visitorToken}`,
    '/api/messages/attachments',
    `/api/media/${ids.messageId}?exp=1&sig=x`,
    // webhook
    '/api/whatsapp/webhook',
    `/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`,
    // admin API
    '/admin/api/session',
    '/admin/api/me',
    '/admin/api/conversations',
    `/admin/api/conversations/${c}`,
    `/admin/api/conversations/${c}/messages`,
    `/admin/api/conversations/${c}/read`,
    `/admin/api/messages/${ids.messageId}/retry`,
    '/admin/api/templates',
    '/admin/api/templates/sync',
    '/admin/api/templates/hello_world/preview',
    '/admin/api/media',
    `/admin/api/media/${ids.messageId}`,
    '/admin/api/whatsapp/webhook-events',
    '/admin/api/whatsapp/webhook-events/1',
    '/admin/api/whatsapp/webhook-events/1/replay',
    '/admin/api/agents',
    '/admin/api/agents/1',
    '/admin/api/tokens',
    '/admin/api/tokens/1',
    '/admin/api/settings/widget',
    '/admin/api/canned-responses',
    '/admin/api/canned-responses/1',
    '/admin/api/settings/whatsapp-numbers',
    '/admin/api/settings/whatsapp-numbers/1',
    '/admin/api/settings/whatsapp-connect',
    '/admin/api/checklist',
    // sandbox
    '/sandbox',
    '/sandbox/',
    '/sandbox/faults',
    '/sandbox/phones',
    `/sandbox/phones/${WA_ID}`,
    `/sandbox/phones/${WA_ID}/inbox`,
    `/sandbox/phones/${WA_ID}/messages`,
    `/sandbox/graph/v25.0/${PHONE_NUMBER_ID}`,
    `/sandbox/graph/v25.0/${PHONE_NUMBER_ID}/messages`,
    `/sandbox/graph/v25.0/${PHONE_NUMBER_ID}/media`,
    `/sandbox/graph/v25.0/${WABA_ID}/message_templates`,
    '/sandbox/graph/v25.0/debug_token',
    '/sandbox/lookaside/whatsapp_business/attachments/?mid=1',
    // realtime
    '/socket.io/',
    '/socket.io/?EIO=4&transport=polling',
  ];
}

/** The next case: plain HTTP, JSON bodies, long-polling sessions and WebSockets. */
function nextCase(r: Rng, t: FuzzTarget): FuzzCase {
  const k = r.next();
  if (k < 0.35) return httpCase(r, t);
  if (k < 0.5) return jsonBodyCase(r, t);
  if (k < 0.82) return pollingCase(r, t);
  return webSocketCase(r, t);
}

async function runBatch(cases: FuzzCase[]): Promise<{ label: string; problem: string; res: RawResponse }[]> {
  const found: { label: string; problem: string; res: RawResponse }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      for (const res of await c.run()) {
        const problem = problemWith(res);
        if (problem) found.push({ label: c.label, problem, res });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return found;
}

describe(`transport fuzz (seed ${SEED})`, () => {
  let server: ServerProcess;
  let target: FuzzTarget;
  const replay = `FUZZ_SEED=${SEED} pnpm vitest run test/integration/fuzz-transport.test.ts`;

  /** The process is up and /healthz answers 200; otherwise the message says why, with the server's output. */
  async function assertHealthy(after: string): Promise<void> {
    const health = server.running()
      ? await fetch(server.url + '/healthz', { signal: AbortSignal.timeout(10_000) }).then(
          (r) => r.status,
          (err: Error) => err.message,
        )
      : 'the process is gone';
    expect(health, `seed ${SEED}: /healthz after ${after} (replay: ${replay})\n--- server output ---\n${server.output().slice(-4000)}`).toBe(200);
  }

  beforeAll(async () => {
    server = await ServerProcess.create();
    await server.start();
    const cookie = await server.signIn();
    const first = await server.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'a conversation to aim at' }),
    });
    const ids = (await first.json()) as { conversation_id: string; message_id: string; visitor_token: string };
    target = {
      port: server.port,
      cookie,
      origin: server.url,
      conversationId: ids.conversation_id,
      paths: servedPaths({ conversationId: ids.conversation_id, messageId: ids.message_id, visitorToken: ids.visitor_token }),
    };
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('aims at paths the server really serves', async () => {
    // Each path answers something other than "no such route" to at least one method.
    const headers = { cookie: target.cookie, origin: server.url, 'content-type': 'application/json' };
    for (const p of target.paths) {
      const tried: string[] = [];
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
        const res = await server.fetch(p, { method, headers, body: method === 'GET' ? undefined : '{}' });
        const body = await res.text();
        if (!(res.status === 404 && /no route for|no sandbox route|^Not found$/.test(body))) break;
        tried.push(method);
      }
      expect(tried.length, `${p} is not served (tried ${tried.join(', ')})`).toBeLessThan(4);
    }
  });

  it('survives the long-polling POST that used to crash it, for both namespaces', async () => {
    const poll = (method: string, sid: string, headers: [string, string][] = [], body?: string) =>
      rawRequest(
        server.port,
        requestBytes(
          method,
          `/socket.io/?EIO=4&transport=polling${sid ? `&sid=${sid}` : ''}`,
          [
            ['Host', `127.0.0.1:${server.port}`],
            ['Connection', 'close'],
            ...headers,
            ...(body === undefined
              ? []
              : ([
                  ['Content-Type', 'text/plain;charset=UTF-8'],
                  ['Content-Length', String(Buffer.byteLength(body))],
                ] as [string, string][])),
          ],
          body,
        ),
        { keepOpen: method === 'GET' },
      );
    for (const [nsp, headers] of [
      ['/visitor', []],
      [
        '/admin',
        [
          ['Origin', server.url],
          ['Cookie', target.cookie],
        ],
      ],
      [
        '/admin',
        [
          ['Origin', server.url],
          ['Cookie', 'cd_session=%E0%A4%A'],
        ],
      ],
    ] as [string, [string, string][]][]) {
      const open = await poll('GET', '', headers);
      expect(open.status, open.text).toBe(200);
      const sid = /"sid":"([^"]+)"/.exec(open.text)![1]!;
      const post = await poll('POST', sid, headers, `40${nsp},`);
      expect(post.status, post.text).toBe(200);
      expect(post.text.endsWith('ok'), post.text).toBe(true);
      const answer = await poll('GET', sid, headers);
      await assertHealthy(`a polling CONNECT to ${nsp} with ${JSON.stringify(headers)}`);
      expect(answer.text, `${nsp} gets its CONNECT answer over polling`).toMatch(new RegExp(`4[04]${nsp},\\{`));
    }
  });

  it(`survives ${BATCHES} batches of hostile HTTP, engine.io and socket.io traffic at every path`, async () => {
    if (!server.running()) await server.start(); // whatever an earlier test did, this one starts from a live server
    const rng = prng(SEED);
    for (let b = 0; b < BATCHES; b++) {
      // A fault injected by a fuzzed request would make the sandbox fail on purpose.
      await server.fetch('/sandbox/faults', { method: 'DELETE' }).catch(() => null);
      const cases = Array.from({ length: CASES_PER_BATCH }, () => nextCase(rng, target));
      const found = await runBatch(cases);
      const report = found.map((f) => `${f.problem}: ${f.label}\n  → ${f.res.text.slice(0, 600)}`).join('\n');
      expect(found, `seed ${SEED}, batch ${b} (replay: ${replay}):\n${report}`).toEqual([]);
      await assertHealthy(`batch ${b}:\n${cases.map((c) => `  ${c.label}`).join('\n')}`);
    }
  });
});
