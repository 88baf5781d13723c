/**
 * Caps the TCP connections one client address may hold open at once (keep-alive connections and
 * WebSockets alike); past the cap a new connection is closed before a byte is read. A trusted
 * proxy is exempt: it carries many clients on its connections, and capping them per client is
 * the proxy's job (nginx `limit_conn`, Caddy, the load balancer).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from '../requests/client-address.ts';

export interface ConnectionCapOptions {
  /** Open connections allowed per address; 0 = no cap. */
  maxPerAddress: number;
  /** Whether a TCP peer is a trusted proxy. */
  trustsPeer: (address: string | undefined) => boolean;
  onRefused?: (address: string) => void;
}

export function capConnectionsPerAddress(server: Server, opts: ConnectionCapOptions): void {
  if (opts.maxPerAddress <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress;
    if (!peer || opts.trustsPeer(peer)) return;
    const key = addressKey(peer);
    const count = open.get(key) ?? 0;
    if (count >= opts.maxPerAddress) {
      socket.destroy();
      opts.onRefused?.(key);
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
