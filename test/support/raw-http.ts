/**
 * HTTP/1.1 and WebSocket at the byte level, for tests that must send what fetch refuses to:
 * duplicated or contradictory Content-Length / Transfer-Encoding, invalid methods and targets,
 * headers past the size limit, half-sent bodies, WebSocket frames with bad opcodes or lengths.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface RawResponse {
  /** The status of the first response, or null when the server closed without answering. */
  status: number | null;
  /** Everything the server sent (every response, for a pipelined request). */
  text: string;
  /** The connection was still open when we gave up waiting. */
  timedOut: boolean;
}

function parseStatus(text: string): number | null {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Writes `bytes` to a new connection, half-closes it (unless `keepOpen`), and collects what comes
 * back until the server closes or `timeoutMs` passes.
 */
export function rawRequest(port: number, bytes: Buffer | string, opts: { timeoutMs?: number; keepOpen?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, opts.timeoutMs ?? 4000);
    socket.on('connect', () => {
      socket.write(bytes);
      if (!opts.keepOpen) socket.end();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: parseStatus(text), text, timedOut });
    });
  });
}

/** One request's bytes: request line, headers as given (duplicates and all), body. */
export function requestBytes(method: string, target: string, headers: [string, string][], body?: Buffer | string): Buffer {
  const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

/** A WebSocket frame as a client sends it (masked unless told otherwise). */
export function wsFrame(opcode: number, payload: Buffer | string, opts: { fin?: boolean; mask?: boolean; declaredLength?: number } = {}): Buffer {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const mask = opts.mask ?? true;
  const len = opts.declaredLength ?? data.length;
  const head: number[] = [((opts.fin ?? true) ? 0x80 : 0) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, (len >> 8) & 0xff, len & 0xff);
  else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(maskBit | 127, ...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/**
 * Opens a WebSocket with a raw upgrade request, then writes `frames` one by one (whatever they
 * hold) and collects the server's bytes. Resolves with the upgrade's status and everything read.
 */
export function rawWebSocket(
  port: number,
  target: string,
  headers: [string, string][],
  frames: Buffer[],
  opts: { timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1' });
    let upgraded = false;
    let timedOut = false;
    const finish = setTimeout(() => {
      timedOut = !upgraded;
      socket.destroy();
    }, opts.timeoutMs ?? 1500);
    socket.on('connect', () => socket.write(requestBytes('GET', target, headers)));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (upgraded) return;
      if (!Buffer.concat(chunks).includes('\r\n\r\n')) return;
      upgraded = true;
      if (parseStatus(Buffer.concat(chunks).toString('latin1')) !== 101) return;
      for (const f of frames) if (!socket.destroyed) socket.write(f);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(finish);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: parseStatus(text), text, timedOut });
    });
  });
}

/** Headers of a well-formed WebSocket upgrade. */
export function upgradeHeaders(host: string, extra: [string, string][] = []): [string, string][] {
  return [
    ['Host', host],
    ['Connection', 'Upgrade'],
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Version', '13'],
    ['Sec-WebSocket-Key', randomBytes(16).toString('base64')],
    ...extra,
  ];
}
