/**
 * Visitors writing over `POST /api/messages`, open loop: message k is sent at t0 + k/R whatever
 * the answers to earlier ones, from visitor k mod N. Each visitor keeps one loopback source
 * address (127.0.0.2, .3, …) so the per-address limits see many clients, as a real site would,
 * and none is raised: at most `perAddressPerMinute` messages per address.
 */
import http from 'node:http';

export interface SentMessage {
  visitor: number;
  /** Date.now() when the request went out. */
  sentAt: number;
  /** Date.now() when the 201 came back (null: refused or failed). */
  ackedAt: number | null;
  status: number;
  conversationId: string | null;
}

export interface VisitorLoadOptions {
  url: string;
  visitors: number;
  perSecond: number;
  durationMs: number;
  name: (visitor: number) => string;
  text: (visitor: number, n: number) => string;
  perAddressPerMinute?: number;
}

function postJson(agent: http.Agent, url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> | null }> {
  return new Promise((resolve) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length, origin: 'https://shop.example.com' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let json: Record<string, unknown> | null = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, json: null }));
    req.end(data);
  });
}

export async function visitorLoad(o: VisitorLoadOptions): Promise<{ sent: SentMessage[]; endedAt: number }> {
  const total = Math.round((o.perSecond * o.durationMs) / 1000);
  const addresses = Math.max(1, Math.ceil((o.perSecond * 60) / (o.perAddressPerMinute ?? 100)));
  const agents = Array.from({ length: addresses }, (_, i) => new http.Agent({ keepAlive: true, maxSockets: 32, localAddress: `127.0.0.${i + 2}` }));
  const tokens = new Map<number, Promise<string | null>>();
  const counts = new Map<number, number>();
  const sent: SentMessage[] = [];
  const endpoint = `${o.url}/api/messages`;

  const send = async (k: number) => {
    const visitor = k % o.visitors;
    const n = (counts.get(visitor) ?? 0) + 1;
    counts.set(visitor, n);
    const previous = tokens.get(visitor);
    let resolveToken!: (t: string | null) => void;
    if (!previous) tokens.set(visitor, new Promise((r) => (resolveToken = r)));
    const token = previous ? await previous : null;
    const m: SentMessage = { visitor, sentAt: Date.now(), ackedAt: null, status: 0, conversationId: null };
    sent.push(m);
    const res = await postJson(agents[visitor % addresses]!, endpoint, {
      text: o.text(visitor, n),
      name: o.name(visitor),
      ...(token ? { visitor_token: token } : {}),
    });
    m.status = res.status;
    if (res.status === 201) {
      m.ackedAt = Date.now();
      m.conversationId = (res.json?.conversation_id as string | undefined) ?? '';
    }
    if (!previous) resolveToken(res.status === 201 ? String(res.json?.visitor_token) : null);
  };

  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const wait = t0 + (k * 1000) / o.perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(k));
  }
  await Promise.all(inFlight);
  const endedAt = Date.now();
  for (const a of agents) a.destroy();
  return { sent, endedAt };
}
