/**
 * The webhook baseline: a bare Node HTTP server that does the least any correct intake must do —
 * read the raw body, check X-Hub-Signature-256 (HMAC-SHA256 with the app secret, constant-time
 * compare), parse the JSON — and answers 200. No framework, no storage. Run as its own process
 * (like the real server) by bench/webhook-intake.ts. Env: PORT (0 = any), WHATSAPP_APP_SECRET.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const secret = process.env.WHATSAPP_APP_SECRET ?? '';
const port = Number(process.env.PORT ?? 0);
let parsed = 0;

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/whatsapp/webhook') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const header = req.headers['x-hub-signature-256'];
    const given = typeof header === 'string' && header.startsWith('sha256=') ? Buffer.from(header.slice(7), 'hex') : null;
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    try {
      const body = JSON.parse(raw.toString('utf8')) as { entry?: unknown[] };
      if (Array.isArray(body.entry)) parsed += body.entry.length;
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`baseline listening on ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  process.stdout.write(`baseline parsed ${parsed} entries\n`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
