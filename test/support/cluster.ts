/**
 * Several real server processes (`node --import tsx server/src/main.ts`) sharing one PostgreSQL
 * database, one Redis and one standalone sandbox — the scale-out deployment, on 127.0.0.1. Ports
 * are picked free up front (PORT=0 would not tell us which one a child got). A tiny round-robin
 * proxy stands in for the load balancer in front of the webhook endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { ADMIN, tempDir, waitFor } from './server.ts';
import { adminRequest } from './admin-request.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const OUTPUT_KEPT = 64 * 1024;

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A child process whose output is kept (the tail) to explain a failure. */
export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnTsx(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitHealthy(url: string, proc: Proc, what: string, path = '/healthz'): Promise<void> {
  const healthy = waitFor(
    async () => {
      const res = await fetch(url + path).catch(() => null);
      return res?.status === 200;
    },
    { timeout: 60_000, interval: 100, message: `${what} at ${url} to become healthy` },
  );
  const died = proc.exited.then((code) => {
    throw new Error(`${what} exited with ${code} before it was healthy`);
  });
  await Promise.race([healthy, died]).catch(async (err: Error) => {
    await proc.kill('SIGKILL');
    throw new Error(`${err.message}\n--- ${what} output ---\n${proc.output()}`);
  });
}

export interface SandboxProc extends Proc {
  url: string;
  graphUrl: string;
  inbox(waId: string): Promise<InboxItem[]>;
  /** A simulated phone writes to the business number (the sandbox delivers the webhook). */
  phoneSends(waId: string, message: object): Promise<Response>;
}

export interface InboxItem {
  wamid: string;
  type: string;
  text?: string | null;
  status?: string;
  [k: string]: unknown;
}

export const SANDBOX_SECRETS = {
  WHATSAPP_ACCESS_TOKEN: 'sandbox-shared-token',
  WHATSAPP_APP_SECRET: 'cluster-app-secret-0123456789',
  WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
};

export async function startSandbox(opts: { webhookUrl: string; env?: Record<string, string> }): Promise<SandboxProc> {
  const port = await freePort();
  const proc = spawnTsx('server/src/sandbox/standalone.ts', {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SANDBOX_WEBHOOK_URL: opts.webhookUrl,
    ...SANDBOX_SECRETS,
    ...opts.env,
  });
  const url = `http://127.0.0.1:${port}`;
  // The standalone sandbox has no /healthz of its own promise; a phone inbox answers once it listens.
  await waitHealthy(url, proc, 'sandbox', '/sandbox/phones/15550000000/inbox');
  return {
    ...proc,
    url,
    graphUrl: `${url}/sandbox/graph`,
    async inbox(waId) {
      const res = await fetch(`${url}/sandbox/phones/${waId}/inbox`);
      if (res.status !== 200) throw new Error(`inbox ${waId}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as InboxItem[] | { data: InboxItem[] };
      return Array.isArray(body) ? body : body.data;
    },
    phoneSends(waId, message) {
      return fetch(`${url}/sandbox/phones/${waId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
    },
  };
}

export interface NodeProc extends Proc {
  name: string;
  url: string;
  signIn(): Promise<string>;
  /** JSON request as the signed-in admin of this node (cookie + this node's Origin). */
  admin(p: string, init?: { method?: string; body?: unknown; cookie?: string }): Promise<{ status: number; body: any }>;
  /**
   * A connected visitor socket, and the `session` event the server sends a new visitor as it
   * connects (listened for before connecting: it can arrive in the same read as the connect).
   */
  visitorSocket(auth?: { visitor_token?: string }): Promise<{ socket: Socket; session: Promise<{ visitor_token: string }> }>;
  adminSocket(cookie: string): Promise<Socket>;
}

export async function startNode(name: string, env: Record<string, string>): Promise<NodeProc> {
  const port = await freePort();
  const dataDir = tempDir(`connectdesk-${name}-`);
  const proc = spawnTsx('server/src/main.ts', {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  void proc.exited.then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, proc, `node ${name}`);
  const sockets: Socket[] = [];
  let cookie: string | null = null;
  let signingIn: Promise<string> | null = null;
  const connect = async (s: Socket) => {
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return s;
  };
  const node: NodeProc = {
    ...proc,
    name,
    url,
    async signIn() {
      const res = await fetch(url + '/admin/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify(ADMIN),
      });
      if (res.status !== 200) throw new Error(`sign-in on ${name} failed: ${res.status} ${await res.text()}`);
      cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      return cookie;
    },
    async admin(p, init = {}) {
      // One sign-in shared by concurrent callers (sign-in attempts are rate-limited per IP).
      signingIn ??= node.signIn();
      const c = init.cookie ?? cookie ?? (await signingIn);
      return adminRequest(url, p, c, init);
    },
    async visitorSocket(auth = {}) {
      const socket = io(url + '/visitor', { transports: ['websocket'], auth, reconnection: false, forceNew: true });
      const session = new Promise<{ visitor_token: string }>((resolve) => socket.once('session', resolve));
      return { socket: await connect(socket), session };
    },
    adminSocket(c) {
      return connect(io(url + '/admin', { transports: ['websocket'], extraHeaders: { cookie: c, origin: url }, reconnection: false, forceNew: true }));
    },
    async kill(signal = 'SIGTERM') {
      for (const s of sockets) s.disconnect();
      await proc.kill(signal);
    },
  };
  return node;
}

/**
 * The load balancer in front of the webhook endpoint: each delivery goes to the next node, and to
 * the one after when a node does not answer (as a health-checked balancer would). Bodies and
 * headers pass through byte for byte, so signatures still verify.
 */
export interface WebhookProxy {
  url: string;
  setTargets(urls: string[]): void;
  close(): Promise<void>;
}

export async function startWebhookProxy(path = '/api/whatsapp/webhook'): Promise<WebhookProxy> {
  let targets: string[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
      for (let i = 0; i < targets.length; i++) {
        const target = targets[next++ % targets.length]!;
        try {
          const up = await fetch(target + (req.url ?? path), { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' });
          res.end(Buffer.from(await up.arrayBuffer()));
          return;
        } catch {
          // That node is down: try the next one, as a balancer with health checks would.
        }
      }
      res.writeHead(502).end('no node answered');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    setTargets(urls) {
      targets = urls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP hop in front of a service (Redis, or a node's socket.io) that can move to another target,
 * refuse connections, or swallow traffic — to play failovers and outages.
 */
export interface TcpProxy {
  port: number;
  /** New connections go here; existing ones are dropped so clients reconnect. */
  setTarget(port: number): void;
  /** Refuse connections and drop the open ones. */
  cut(): void;
  /** Keep connections open but pass nothing. */
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let target = targetPort;
  let mode: 'up' | 'down' | 'blackhole' = 'up';
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (mode === 'down') return client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('data', (d: Buffer) => mode === 'up' && upstream.write(d));
    upstream.on('data', (d: Buffer) => mode === 'up' && client.write(d));
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const dropAll = () => {
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    setTarget(port) {
      target = port;
      dropAll();
    },
    cut() {
      mode = 'down';
      dropAll();
    },
    blackhole() {
      mode = 'blackhole';
    },
    restore() {
      // Connections that swallowed traffic are out of sync: drop them, clients reconnect.
      if (mode === 'blackhole') dropAll();
      mode = 'up';
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
