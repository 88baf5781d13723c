/**
 * `node --import tsx bench/dashboard-run.ts [out.json]`: about two minutes of mixed load against one
 * server (its own process, SQLite, the embedded sandbox, METRICS_TOKEN set) while `/metrics` is
 * scraped every 2 s; the scrapes go to a JSON file that bench/dashboard-render.ts draws the
 * Grafana dashboard's panels from (docs/img/grafana-dashboard.png). Not part of `pnpm bench`: it
 * makes no figures, only the data for the picture.
 *
 * The load, on a timeline: agent and visitor sockets connect; 300 customers write in (signed
 * webhooks); then a steady stream of deliveries (~60/s), agent replies (~4/s, through the outbox
 * to the sandbox's Graph API) and a visitor message every 8 s (forwarded to the owner); a burst of
 * 3,000 deliveries at 40 s; the Graph API failing (HTTP 500) for a while at 70 s; a quiet tail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { BENCH_APP_SECRET, BENCH_PHONE_NUMBER_ID, adminRequest, signIn, startServer } from './lib/server-process.ts';
import { signedTextWebhooks, type SignedBody } from './lib/webhook-bodies.ts';

const TOKEN = 'bench-metrics-token-7f3a9c2e5b1d';
const SCRAPE_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ScrapeRecord {
  t: number;
  text: string;
}

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(os.tmpdir(), 'connectdesk-dashboard-scrapes.json'));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-dashboard-'));
  const server = await startServer({ name: 'dashboard-server', logDir, env: { METRICS_TOKEN: TOKEN } });
  const url = server.url;
  const started = Date.now();
  const at = (s: number) => sleep(Math.max(0, started + s * 1000 - Date.now()));
  const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
  const scrapes: ScrapeRecord[] = [];
  let scraping = true;
  const scraper = (async () => {
    while (scraping) {
      const t = Date.now();
      const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      scrapes.push({ t, text: await res.text() });
      await sleep(SCRAPE_MS - (Date.now() - t));
    }
  })();

  const sockets: Socket[] = [];
  const post = (b: SignedBody) =>
    fetch(`${url}/api/whatsapp/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': b.signature },
      body: b.body,
    }).then((r) => r.status);
  try {
    await at(6);
    const cookie = await signIn(url);
    for (let i = 0; i < 3; i++) sockets.push(io(`${url}/admin`, { transports: ['websocket'], extraHeaders: { cookie, origin: url }, forceNew: true }));
    for (let i = 0; i < 100; i++) sockets.push(io(`${url}/visitor`, { transports: ['websocket'], forceNew: true }));
    log('3 agent and 100 visitor sockets');

    await at(10);
    const first = signedTextWebhooks({
      count: 300,
      contacts: 300,
      phoneNumberId: BENCH_PHONE_NUMBER_ID,
      appSecret: BENCH_APP_SECRET,
      wamidPrefix: `wamid.dash.first.${started}.`,
    });
    for (let i = 0; i < first.length; i += 20) {
      const statuses = await Promise.all(first.slice(i, i + 20).map(post));
      if (i === 0) log(`first deliveries: ${statuses.join(' ')}`);
    }
    log('300 customers wrote in');
    const list = await adminRequest<{ data: { id: string }[] }>(url, cookie, '/admin/api/conversations?channel=whatsapp&limit=100');
    const conversations = list.body.data.map((c) => c.id);

    // The steady stream, open loop: deliveries every 100 ms, agent replies, a visitor now and then.
    const steady = signedTextWebhooks({
      count: 8_000,
      contacts: 300,
      phoneNumberId: BENCH_PHONE_NUMBER_ID,
      appSecret: BENCH_APP_SECRET,
      wamidPrefix: `wamid.dash.steady.${started}.`,
    });
    // At most 32 requests in flight (a slow server gets fewer, not a pile of connections).
    let next = 0;
    let replies = 0;
    let inFlight = 0;
    let failed = 0;
    const send = (request: () => Promise<unknown>) => {
      if (inFlight >= 32) return;
      inFlight++;
      request()
        .catch(() => failed++)
        .finally(() => inFlight--);
    };
    const timers = [
      setInterval(() => {
        for (const b of steady.slice(next, next + 6)) send(() => post(b));
        next += 6;
      }, 100),
      setInterval(() => {
        const id = conversations[replies++ % conversations.length]!;
        send(() =>
          adminRequest(url, cookie, `/admin/api/conversations/${id}/messages`, { body: { message_type: 'text', text: `Thanks, we are on it (${replies})` } }),
        );
      }, 250),
      setInterval(() => {
        const visitor = sockets[3 + Math.floor(Math.random() * 100)]!;
        visitor.emit('message:send', { text: 'Hello, is anyone there?', client_id: `dash-${Date.now()}` });
      }, 8_000),
    ];
    log('steady load');

    await at(40);
    const burst = signedTextWebhooks({
      count: 3_000,
      contacts: 300,
      phoneNumberId: BENCH_PHONE_NUMBER_ID,
      appSecret: BENCH_APP_SECRET,
      wamidPrefix: `wamid.dash.burst.${started}.`,
    });
    let b = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (b < burst.length) await post(burst[b++]!);
      }),
    );
    log('burst of 3000 deliveries acknowledged');

    await at(70);
    await fetch(`${url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http_500', count: 60 }),
    });
    log('Graph API: the next 60 calls fail with HTTP 500');

    await at(100);
    for (const t of timers) clearInterval(t);
    await fetch(`${url}/sandbox/faults`, { method: 'DELETE' });
    log(`load stopped (${failed} requests failed)`);
    await at(125);
  } finally {
    scraping = false;
    await scraper;
    for (const s of sockets) s.disconnect();
    await server.stop();
  }
  fs.writeFileSync(out, JSON.stringify({ scrapeMs: SCRAPE_MS, scrapes }));
  log(`${scrapes.length} scrapes → ${out} (server log: ${logDir})`);
}

void main();
