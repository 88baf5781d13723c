/**
 * The ConnectDesk server as its own process (`node --import tsx server/src/main.ts`), on a free
 * port with a temp DATA_DIR, plus the few admin calls the benchmarks need.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';
import { spawnNode, waitForHttp, type NodeProcess } from './node-process.ts';

export const BENCH_ADMIN = { email: 'bench@example.com', password: 'bench-password-123' };
export const BENCH_APP_SECRET = 'bench-app-secret-0123456789abcdef';
export const BENCH_PHONE_NUMBER_ID = '100000000000777';

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  proc: NodeProcess;
  rssBytes(): number | null;
  stop(): Promise<void>;
}

export interface ServerOptions {
  name?: string;
  logDir: string;
  /** Reuse a prepared data folder (e.g. a seeded database); a fresh temp folder otherwise. */
  dataDir?: string;
  env?: Record<string, string>;
  cpuProfDir?: string;
  port?: number;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startServer(opts: ServerOptions): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? tempDir('connectdesk-bench-data-');
  const proc = spawnNode({
    name: opts.name ?? 'server',
    script: 'server/src/main.ts',
    logDir: opts.logDir,
    cpuProfDir: opts.cpuProfDir,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      APP_KEY: 'a'.repeat(64),
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      LOG_LEVEL: 'warn',
      WHATSAPP_APP_SECRET: BENCH_APP_SECRET,
      WHATSAPP_PHONE_NUMBER_ID: BENCH_PHONE_NUMBER_ID,
      WHATSAPP_WEBHOOK_SECRET: 'bench-verify-token',
      ...opts.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, proc, 90_000);
  } catch (err) {
    await proc.stop(2000);
    throw err;
  }
  return {
    url,
    port,
    dataDir,
    proc,
    rssBytes: () => proc.rssBytes(),
    async stop() {
      await proc.stop();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs the bench admin in; returns the Cookie header value. */
export async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/admin/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify(BENCH_ADMIN),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: HTTP ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('sign-in answered without a session cookie');
  return cookie;
}

export interface AdminResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  /** Client-side wall time of the request, ms. */
  ms: number;
}

/** A JSON request as the signed-in agent (cookie + same Origin). */
export async function adminRequest<T = any>(url: string, cookie: string, p: string, init: { method?: string; body?: unknown } = {}): Promise<AdminResponse<T>> {
  const t0 = performance.now();
  const res = await fetch(url + p, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { cookie, origin: url, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T, headers: res.headers, ms };
}
