/**
 * The real server (`node --import tsx server/src/main.ts`) and the standalone sandbox
 * (`server/src/sandbox/standalone.ts`) as child processes on explicit free ports, for the tests
 * that crash, stop and restart them: kill -9 at a chosen moment, SIGTERM and wait for the exit
 * code, restart on the same DATA_DIR and port. Everything listens on 127.0.0.1. `dispose()` kills
 * whatever still runs — call it in afterAll.
 */
import fs from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createDb, type Db } from '../../server/src/db/knex.ts';
import { signWebhookBody } from '../../server/src/whatsapp/webhook-signature.ts';
import { freePort, ROOT, spawnTsx, type Proc } from './cluster.ts';
import { ADMIN, tempDir, waitFor } from './server.ts';
import { adminRequest } from './admin-request.ts';

/** Shared by the server child and the standalone sandbox, so webhooks verify on both sides. */
export const APP_SECRET = 'reliability-app-secret-0123456789abcdef';
export const PHONE_NUMBER_ID = '100000000000001';
export const VERIFY_TOKEN = 'reliability-verify-token';

async function waitHealthy(url: string, proc: Proc, what: string): Promise<void> {
  let exitCode: number | null | undefined;
  void proc.exited.then((c) => (exitCode = c));
  await waitFor(
    async () => {
      if (exitCode !== undefined) throw new Error(`${what} exited with ${exitCode}`);
      const res = await fetch(url).catch(() => null);
      return res?.status === 200;
    },
    { timeout: 60_000, interval: 50, message: `${what} at ${url}` },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- ${what} output ---\n${proc.output()}`);
  });
}

/** A child process that can be started again on the same port after it died. */
abstract class Restartable {
  protected proc: Proc | null = null;
  /** Output of every run so far (tail), to explain a failure. */
  protected history = '';

  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  running(): boolean {
    const c = this.proc?.child;
    return Boolean(c && c.exitCode === null && c.signalCode === null);
  }

  /** Resolves with the exit code (null when killed by a signal) of the current run. */
  exited(): Promise<number | null> {
    return this.proc ? this.proc.exited : Promise.resolve(null);
  }

  output(): string {
    return this.history + (this.proc?.output() ?? '');
  }

  protected abstract spawn(): Proc;
  protected abstract healthPath: string;

  async start(): Promise<void> {
    if (this.running()) throw new Error(`${this.name} is already running`);
    if (this.proc) this.history = (this.history + this.proc.output()).slice(-32 * 1024);
    this.proc = this.spawn();
    await waitHealthy(this.url + this.healthPath, this.proc, this.name);
  }

  /** SIGKILL right now, synchronously (call it inside an ack or response handler). */
  kill9Now(): void {
    if (this.running()) this.proc!.child.kill('SIGKILL');
  }

  /** SIGKILL and wait until the process is gone (its port is free again). */
  async kill9(): Promise<void> {
    this.kill9Now();
    await this.exited();
  }

  /** SIGTERM (graceful shutdown); resolves with the exit code. */
  async terminate(): Promise<number | null> {
    if (!this.running()) return this.exited();
    this.proc!.child.kill('SIGTERM');
    return this.exited();
  }

  async restart(): Promise<void> {
    await this.kill9();
    await this.start();
  }

  dispose(): Promise<void> {
    return this.kill9();
  }
}

export interface ServerProcessOptions {
  /** Extra environment (WHATSAPP_GRAPH_URL, WHATSAPP_TIMEOUT_MS, ...). */
  env?: Record<string, string>;
  port?: number;
  dataDir?: string;
}

export class ServerProcess extends Restartable {
  readonly dataDir: string;
  readonly env: Record<string, string>;
  protected healthPath = '/healthz';
  private cookie: string | null = null;
  private sockets: Socket[] = [];

  private constructor(port: number, opts: ServerProcessOptions) {
    super('server', port);
    this.dataDir = opts.dataDir ?? tempDir('connectdesk-reliability-');
    this.env = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: this.dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_WEBHOOK_SECRET: VERIFY_TOKEN,
      ...opts.env,
    };
  }

  /** Picks the port (unless given) and the data dir once; `start()` launches the first run. */
  static async create(opts: ServerProcessOptions = {}): Promise<ServerProcess> {
    return new ServerProcess(opts.port ?? (await freePort()), opts);
  }

  protected spawn(): Proc {
    // Sessions live in the database, but sockets die with the process.
    for (const s of this.sockets) s.disconnect();
    this.sockets = [];
    return spawnTsx('server/src/main.ts', this.env);
  }

  /** Kill, and remove the data dir. */
  override async dispose(): Promise<void> {
    for (const s of this.sockets) s.disconnect();
    await this.kill9();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  fetch(p: string, init?: RequestInit): Promise<Response> {
    return fetch(this.url + p, init);
  }

  async signIn(): Promise<string> {
    const res = await this.fetch('/admin/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.url },
      body: JSON.stringify(ADMIN),
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return this.cookie;
  }

  /** JSON request as the signed-in admin (cookie + same Origin). The session survives restarts. */
  async admin(p: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
    const cookie = this.cookie ?? (await this.signIn());
    return adminRequest(this.url, p, cookie, init);
  }

  /** POST a webhook body; signed with the app secret unless `signature` says otherwise. */
  webhook(raw: Buffer | string, signature: string | null | undefined = undefined): Promise<Response> {
    const sig = signature === undefined ? signWebhookBody(raw, APP_SECRET) : signature;
    return this.fetch('/api/whatsapp/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'x-hub-signature-256': sig }) },
      body: typeof raw === 'string' ? raw : new Uint8Array(raw),
    });
  }

  async visitorSocket(auth: { visitor_token?: string } = {}): Promise<Socket> {
    const s = io(this.url + '/visitor', { transports: ['websocket'], auth, reconnection: false, forceNew: true });
    return this.connect(s);
  }

  async adminSocket(): Promise<Socket> {
    const cookie = this.cookie ?? (await this.signIn());
    const s = io(this.url + '/admin', { transports: ['websocket'], extraHeaders: { cookie, origin: this.url }, reconnection: false, forceNew: true });
    return this.connect(s);
  }

  private async connect(s: Socket): Promise<Socket> {
    this.sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return s;
  }
}

export interface InboxItem {
  wamid: string;
  type: string;
  text?: string | null;
  status?: string;
  [k: string]: unknown;
}

/** The standalone sandbox (`pnpm sandbox`), delivering its webhooks to `webhookUrl`. */
export class SandboxProcess extends Restartable {
  protected healthPath = '/sandbox/';

  private constructor(
    port: number,
    private readonly webhookUrl: string,
  ) {
    super('sandbox', port);
  }

  static async create(opts: { webhookUrl: string; port?: number }): Promise<SandboxProcess> {
    return new SandboxProcess(opts.port ?? (await freePort()), opts.webhookUrl);
  }

  get graphUrl(): string {
    return `${this.url}/sandbox/graph`;
  }

  protected spawn(): Proc {
    return spawnTsx('server/src/sandbox/standalone.ts', {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(this.port),
      LOG_LEVEL: 'warn',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      SANDBOX_WEBHOOK_URL: this.webhookUrl,
    });
  }

  async inbox(waId: string): Promise<InboxItem[]> {
    const res = await fetch(`${this.url}/sandbox/phones/${waId}/inbox`);
    if (res.status !== 200) throw new Error(`inbox ${waId}: ${res.status} ${await res.text()}`);
    return (await res.json()) as InboxItem[];
  }

  /** A simulated phone writes to the business number; the sandbox sends the signed webhook. */
  async phoneSends(waId: string, message: object): Promise<void> {
    const res = await fetch(`${this.url}/sandbox/phones/${waId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    if (res.status >= 300) throw new Error(`phone ${waId} could not write: ${res.status} ${await res.text()}`);
  }

  async fault(kind: 'http_500' | 'timeout' | 'rate_limit' | 'network', count: number): Promise<void> {
    const res = await fetch(`${this.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind, count }),
    });
    if (res.status !== 201) throw new Error(`fault ${kind}: ${res.status} ${await res.text()}`);
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.url}/sandbox/faults`, { method: 'DELETE' });
  }
}

/**
 * The server's SQLite file, opened with the server's own knex setup in query-only mode — for
 * looking at what is on disk while the server is down (between a kill and the restart).
 */
export async function withDatabase<T>(dataDir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb({ client: 'sqlite', filename: `${dataDir}/connectdesk.sqlite` });
  try {
    await db.raw('PRAGMA query_only = ON');
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

// --- Meta-shaped webhook bodies, built from the pywa fixtures (test/fixtures/pywa-updates) ---

export const PYWA_DIR = path.join(ROOT, 'test/fixtures/pywa-updates');

/** Every named body of one pywa fixture file, with our phone_number_id substituted. */
export function pywaBodies(file: string, phoneNumberId = PHONE_NUMBER_ID): Record<string, any> {
  const text = fs.readFileSync(path.join(PYWA_DIR, file), 'utf8');
  const bodies = JSON.parse(text) as Record<string, any>;
  for (const body of Object.values(bodies)) {
    for (const entry of body?.entry ?? []) {
      for (const change of entry?.changes ?? []) {
        if (change?.value?.metadata) change.value.metadata.phone_number_id = phoneNumberId;
      }
    }
  }
  return bodies;
}

/** A customer's text message (pywa `message.json` → `text`), as raw JSON. */
export function textWebhook(m: { waId: string; wamid: string; text: string; name?: string }): string {
  const body = pywaBodies('message.json').text;
  const value = body.entry[0].changes[0].value;
  value.contacts = [{ profile: { name: m.name ?? `Customer ${m.waId}` }, wa_id: m.waId }];
  value.messages[0] = { ...value.messages[0], from: m.waId, id: m.wamid, timestamp: String(Math.floor(Date.now() / 1000)), text: { body: m.text } };
  return JSON.stringify(body);
}
