import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIo, createRealtimeHttpServer } from './io.ts';

describe('createRealtimeHttpServer', () => {
  const prepared: string[] = [];
  const handled: string[] = [];
  let server: http.Server;
  let url = '';
  const io = createIo();
  beforeAll(async () => {
    server = createRealtimeHttpServer(
      io,
      (req, res) => {
        handled.push(`${req.method} ${req.url}`);
        res.end('app');
      },
      {
        prepare: (req) => {
          prepared.push(`${req.headers.upgrade ? 'upgrade' : req.method} ${req.url?.split('?')[0]} ${req.headers['x-mark'] ?? ''}`);
          delete req.headers['x-mark'];
        },
      },
    );
    io.of('/t').use((socket, next) => (socket.request.headers['x-mark'] === undefined ? next() : next(new Error('saw x-mark'))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await io.close();
  });

  it('runs prepare before anything else for plain requests, polling and WebSocket upgrades alike', async () => {
    expect(await (await fetch(`${url}/page`, { headers: { 'x-mark': 'a' } })).text()).toBe('app');
    for (const transport of ['polling', 'websocket'] as const) {
      const sock = ioClient(`${url}/t`, { transports: [transport], extraHeaders: { 'x-mark': transport }, reconnection: false, forceNew: true });
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', () => resolve());
        sock.once('connect_error', reject);
      });
      sock.disconnect();
    }
    expect(prepared).toContain('GET /page a');
    expect(prepared).toContain('GET /socket.io/ polling');
    expect(prepared).toContain('upgrade /socket.io/ websocket');
    // socket.io answered its own requests: the application handler saw only the page.
    expect(handled).toEqual(['GET /page']);
  });
});
