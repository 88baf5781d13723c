/**
 * Slow clients and connection hoarding against the real server with its real defaults: slow
 * headers and slow bodies are dropped within seconds while a 10 MB upload with a stall on the way
 * still arrives; one address may hold only so many connections, unless it is a trusted proxy.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RawClient {
  socket: net.Socket;
  /** Resolves with what the server answered when it closed the connection ('' = nothing). */
  closed: Promise<string>;
}

function connect(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    const closed = new Promise<string>((r) => socket.on('close', () => r(answer)));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Writes pieces with pauses until the server hangs up (or the pieces run out). */
async function dripFeed(c: RawClient, pieces: Iterable<{ data: Buffer | string; waitMs: number }>): Promise<void> {
  let open = true;
  void c.closed.then(() => (open = false));
  for (const p of pieces) {
    if (!open) return;
    c.socket.write(p.data);
    await tick(p.waitMs);
  }
}

function* forever(data: string, waitMs: number) {
  for (;;) yield { data, waitMs };
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, tick(ms).then(() => Promise.reject(new Error(`${what}: still open after ${ms} ms`)))]);

describe('slow clients', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('drops slow headers and slow bodies within seconds, and a 10 MB upload with a stall still arrives', async () => {
    const port = s.port;
    // The visitor who uploads, and their file: a PNG of 9.5 MB (the visitor limit is 10 MB).
    const first = await s.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'a file follows' }),
    });
    const token = (await first.json()).visitor_token as string;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(9.5 * 1024 * 1024)]);
    const boundary = `----b${randomBytes(8).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="visitor_token"\r\n\r\n${token}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);

    const headerDrip = await connect(port);
    const bodyDrip = await connect(port);
    const upload = await connect(port);
    void dripFeed(
      headerDrip,
      (function* () {
        yield { data: 'GET /healthz HTTP/1.1\r\nHost: x\r\n', waitMs: 1_000 };
        yield* forever('X-Slow: yes\r\n', 1_000);
      })(),
    );
    void dripFeed(
      bodyDrip,
      (function* () {
        yield { data: 'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{"text":"', waitMs: 1_000 };
        yield* forever('a', 2_000);
      })(),
    );
    const chunk = 128 * 1024;
    void dripFeed(
      upload,
      (function* () {
        yield {
          data: `POST /api/messages/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          waitMs: 0,
        };
        for (let at = 0; at < body.length; at += chunk) {
          // A link that stalls for 6 s halfway through (shorter than the 10 s idle limit).
          yield { data: body.subarray(at, at + chunk), waitMs: at === chunk * 40 ? 6_000 : 50 };
        }
      })(),
    );

    // Dropped: the server closes both without waiting for requestTimeout (300 s) or 60 s.
    await within(headerDrip.closed, 30_000, 'slow headers');
    expect(await within(bodyDrip.closed, 30_000, 'slow body')).toBe('');
    const answer = await within(upload.closed, 60_000, 'upload');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect((await s.fetch('/healthz')).status).toBe(200);
  });
});

describe('connections per address', () => {
  let s: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ MAX_CONNECTIONS_PER_IP: '4' });
    proxied = await startTestServer({ MAX_CONNECTIONS_PER_IP: '4', TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => {
    await s.stop();
    await proxied.stop();
  });

  const holds = async (c: RawClient) => {
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve, reject) => {
      c.socket.once('data', () => resolve());
      void c.closed.then(() => reject(new Error('closed instead of answering')));
    });
  };

  it('closes connections past the cap from one address; others and later ones are served', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => connect(s.port, '127.0.0.20')));
    for (const c of held) await holds(c);
    const extra = await connect(s.port, '127.0.0.20');
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await within(extra.closed, 10_000, 'fifth connection')).toBe('');
    // Another address is not affected; a freed slot is usable again.
    await holds(await connect(s.port, '127.0.0.21'));
    held[0]!.socket.destroy();
    await held[0]!.closed;
    // The server sees the close a moment after the client does: poll until the slot is free.
    const again = await waitFor(async () => {
      const c = await connect(s.port, '127.0.0.20');
      return holds(c).then(
        () => c,
        () => null,
      );
    });
    for (const c of [...held, again]) c.socket.destroy();
  });

  it('does not cap a trusted proxy, which carries many clients', async () => {
    const many = await Promise.all(Array.from({ length: 8 }, () => connect(proxied.port, '127.0.0.1')));
    for (const c of many) await holds(c);
    for (const c of many) c.socket.destroy();
  });
});
