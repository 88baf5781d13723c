/**
 * A counting pass-through between the server and the sandbox's Graph API: every request is
 * forwarded unchanged; for sends (`POST .../messages` without a `status` field) it records when
 * the sandbox accepted one and which Meta error codes it answered (130429 = throughput).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphTap {
  url: string;
  /** performance.now() of every accepted send (2xx with a wamid). */
  acceptedAt: number[];
  /** Meta error code → count, for refused sends. */
  errorCodes: Map<number, number>;
  /** Other Graph calls (templates, mark-as-read...). */
  otherCalls: number;
  /** Requests the tap itself could not forward (answered 502). */
  tapErrors: number;
  close(): Promise<void>;
}

export async function startGraphTap(target: string): Promise<GraphTap> {
  const upstream = new URL(target);
  const acceptedAt: number[] = [];
  const errorCodes = new Map<number, number>();
  let otherCalls = 0;
  let tapErrors = 0;
  // No keep-alive upstream: a reused socket the sandbox has just closed would turn into a 502 here.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 256 });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isSend = req.method === 'POST' && /\/messages$/.test((req.url ?? '').split('?')[0]!) && !/"status"\s*:/.test(body.toString('utf8'));
      if (!isSend) otherCalls += 1;
      const headers = { ...req.headers, host: upstream.host };
      const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (upRes) => {
        const out: Buffer[] = [];
        upRes.on('data', (c: Buffer) => out.push(c));
        upRes.on('end', () => {
          const payload = Buffer.concat(out);
          if (isSend) {
            const status = upRes.statusCode ?? 0;
            if (status >= 200 && status < 300) acceptedAt.push(performance.now());
            else {
              let code = -status;
              try {
                code = (JSON.parse(payload.toString('utf8')) as { error?: { code?: number } }).error?.code ?? code;
              } catch {
                /* not JSON: keep the HTTP status (negative) */
              }
              errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
            }
          }
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          res.end(payload);
        });
      });
      up.on('error', () => {
        tapErrors += 1;
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    acceptedAt,
    errorCodes,
    get otherCalls() {
      return otherCalls;
    },
    get tapErrors() {
      return tapErrors;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
