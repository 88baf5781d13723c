import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardBodyRead, type BodyReadLimits } from './body-read-guard.ts';

// The real guard on a real server, with its clock scaled down (defaults are 10 s / 10 s / 4 KB/s).
const limits: BodyReadLimits = { idleMs: 400, graceMs: 400, minBytesPerSecond: 2_000, checkEveryMs: 50 };
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('guardBodyRead', () => {
  let server: http.Server;
  let port = 0;
  const drops: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      guardBodyRead(req, limits, (reason) => drops.push(reason));
      const start = () => {
        let n = 0;
        req.on('data', (c: Buffer) => (n += c.length));
        req.on('end', () => res.end(String(n)));
      };
      // /slow-app: the application takes a while before it reads; that time is not the client's fault.
      if (req.url === '/slow-app') setTimeout(start, 1_000);
      else start();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** Sends a body in pieces with pauses; resolves with the response status line, or 'closed'. */
  function post(path: string, length: number, pieces: Array<{ bytes: number; waitMs: number }>): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      let closed = false;
      socket.on('data', (d) => (answer += d.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => {
        closed = true;
        resolve(answer ? answer.split('\r\n')[0]! : 'closed');
      });
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
      void (async () => {
        for (const p of pieces) {
          if (closed) return;
          socket.write(Buffer.alloc(p.bytes, 0x61));
          await tick(p.waitMs);
        }
      })();
    });
  }

  it('lets a steady body through, pauses shorter than the idle limit included', async () => {
    const pieces = [
      ...Array.from({ length: 10 }, () => ({ bytes: 500, waitMs: 50 })),
      { bytes: 500, waitMs: 300 },
      ...Array.from({ length: 9 }, () => ({ bytes: 500, waitMs: 50 })),
    ];
    expect(await post('/', 10_000, pieces)).toBe('HTTP/1.1 200 OK');
  });

  it('drops a body that stops arriving', async () => {
    expect(await post('/', 10_000, [{ bytes: 100, waitMs: 5_000 }])).toBe('closed');
    expect(drops.at(-1)).toMatch(/no body bytes/);
  });

  it('drops a body that keeps dripping under the minimum rate', async () => {
    expect(
      await post(
        '/',
        10_000,
        Array.from({ length: 40 }, () => ({ bytes: 1, waitMs: 100 })),
      ),
    ).toBe('closed');
    expect(drops.at(-1)).toMatch(/slower than/);
  });

  it('does not count the time the application is not reading', async () => {
    expect(await post('/slow-app', 1_000, [{ bytes: 1_000, waitMs: 0 }])).toBe('HTTP/1.1 200 OK');
  });
});
