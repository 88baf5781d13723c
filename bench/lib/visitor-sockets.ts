/**
 * Visitor sockets for the benchmarks: socket.io-client on `/visitor` (WebSocket transport), each
 * from a chosen loopback source address so per-address limits are met, not raised beyond what the
 * benchmark says; and the server's settled RSS around them.
 */
import { io, type Socket } from 'socket.io-client';
import type { VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';

export type VisitorSocket = Socket<VisitorServerToClient, VisitorClientToServer>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One visitor, resolved once the server has sent its `session`. */
function connectVisitor(url: string, localAddress: string, timeoutMs: number): Promise<VisitorSocket> {
  const socket: VisitorSocket = io(`${url}/visitor`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: {},
    // Passed through to the `ws` client: which loopback address the connection comes from.
    ...({ localAddress } as object),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`visitor socket from ${localAddress}: no session within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('session', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/**
 * Connects `n` visitors, `concurrency` handshakes at a time, round-robin over `addresses`;
 * `onConnected` gets each handshake's time (ms).
 */
export async function connectVisitors(
  url: string,
  opts: { n: number; concurrency: number; addresses: string[]; addressOffset?: number; timeoutMs?: number; onConnected?: (ms: number) => void },
): Promise<VisitorSocket[]> {
  const sockets: VisitorSocket[] = [];
  let next = 0;
  const worker = async () => {
    while (next < opts.n) {
      const i = next++;
      const t0 = performance.now();
      sockets.push(await connectVisitor(url, opts.addresses[(i + (opts.addressOffset ?? 0)) % opts.addresses.length]!, opts.timeoutMs ?? 20_000));
      opts.onConnected?.(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return sockets;
}

/** Median of a few RSS samples, after letting the server settle. */
export async function settledRss(read: () => number | null, settleMs: number): Promise<number | null> {
  await sleep(settleMs);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const v = read();
    if (v !== null) samples.push(v);
    await sleep(200);
  }
  samples.sort((a, b) => a - b);
  return samples.length ? samples[Math.floor(samples.length / 2)]! : null;
}
