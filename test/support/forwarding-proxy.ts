/**
 * A reverse proxy hop for tests, doing what nginx's `$proxy_add_x_forwarded_for` and Caddy do:
 * it appends the address of whoever connected to it to `X-Forwarded-For` (keeping what the client
 * sent in front of it), sets `X-Forwarded-Proto`, and passes HTTP requests and WebSocket upgrades
 * through to the target. Clients can pick their source with a loopback `localAddress`
 * (127.0.0.2, 127.0.0.3, ...; test/support/from-address.ts) to look like different people.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ForwardingProxy {
  url: string;
  close(): Promise<void>;
}

function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const prior = req.headers['x-forwarded-for'];
  return { ...req.headers, 'x-forwarded-for': prior ? `${String(prior)}, ${peer}` : peer, 'x-forwarded-proto': 'http' };
}

export async function startForwardingProxy(target: string): Promise<ForwardingProxy> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: forwardedHeaders(req) }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, client, head) => {
    const upstream = net.connect(Number(to.port), to.hostname, () => {
      const headers = forwardedHeaders(req);
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) lines.push(`${k}: ${one}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
