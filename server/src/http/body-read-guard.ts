/**
 * Drops clients that send a request body too slowly to be real (slowloris with a body). While the
 * application is reading a body, the socket must deliver a byte at least every `idleMs` and, after
 * `graceMs`, average at least `minBytesPerSecond`; otherwise the connection is destroyed. Time in
 * which the application is not reading (a paused stream, backpressure from the disk) does not
 * count, so a slow server never blames the client. Slow headers are Node's `headersTimeout`'s job,
 * and `requestTimeout` stays the outer bound for any request.
 */
import type { IncomingMessage } from 'node:http';

export interface BodyReadLimits {
  idleMs: number;
  graceMs: number;
  minBytesPerSecond: number;
  /** How often progress is checked. */
  checkEveryMs: number;
}

export const DEFAULT_BODY_READ_LIMITS: BodyReadLimits = Object.freeze({
  idleMs: 10_000,
  graceMs: 10_000,
  minBytesPerSecond: 4 * 1024,
  checkEveryMs: 1_000,
});

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return Boolean(req.headers['transfer-encoding']) || (length !== undefined && length !== '0');
}

/** Watches one request's body; returns at once for requests without one. */
export function guardBodyRead(req: IncomingMessage, limits: BodyReadLimits, onDrop?: (reason: string) => void): void {
  if (!hasBody(req) || req.complete) return;
  const socket = req.socket;
  const base = socket.bytesRead;
  let readingMs = 0;
  let lastBytes = 0;
  let lastProgressAt = 0;
  const timer = setInterval(() => {
    if (req.readableFlowing !== true) return; // nobody is reading the body right now
    readingMs += limits.checkEveryMs;
    const bytes = socket.bytesRead - base;
    if (bytes > lastBytes) {
      lastBytes = bytes;
      lastProgressAt = readingMs;
    }
    let reason: string | null = null;
    if (readingMs - lastProgressAt >= limits.idleMs) reason = `no body bytes for ${limits.idleMs} ms`;
    else if (readingMs > limits.graceMs && bytes < ((readingMs - limits.graceMs) / 1000) * limits.minBytesPerSecond) {
      reason = `body slower than ${limits.minBytesPerSecond} bytes/s`;
    }
    if (reason) {
      stop();
      onDrop?.(reason);
      socket.destroy();
    }
  }, limits.checkEveryMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once('end', stop);
  req.once('close', stop); // also when the connection goes
}
