/**
 * The compiled server (server/dist/main.js, built by `pnpm build` with esbuild) as people run it:
 * `pnpm start` builds a missing bundle and runs it with plain Node — not TypeScript through tsx;
 * a terminal gets readable log lines and a pipe gets JSON; SIGTERM lets the request in flight
 * finish and exits 0, and what it acknowledged is on disk after a restart.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/cluster.ts';
import { childEnv, childPids, processInfo, ROOT, spawnChild, waitHealthy, type Child } from '../support/node-process.ts';
import { ADMIN, tempDir } from '../support/server.ts';

const MAIN = path.join(ROOT, 'server/dist/main.js');
const running: Child[] = [];
const dirs: string[] = [];

function serverEnv(port: number, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return childEnv({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'info',
    ...extra,
  });
}

function startCompiled(port: number, dataDir: string): Child {
  const proc = spawnChild(process.execPath, ['--enable-source-maps', MAIN], { env: serverEnv(port, dataDir) });
  running.push(proc);
  return proc;
}

function newDataDir(): string {
  const d = tempDir('connectdesk-compiled-');
  dirs.push(d);
  return d;
}

beforeAll(() => {
  for (const built of ['widget/dist/widget.js', 'admin/dist/index.html']) {
    if (!fs.existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`pnpm build\` before the tests`);
  }
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('pnpm start', () => {
  it('builds the missing server bundle, then runs it with plain node: no tsx, no TypeScript', async () => {
    fs.rmSync(path.join(ROOT, 'server/dist'), { recursive: true, force: true });
    const port = await freePort();
    const start = spawnChild(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { env: serverEnv(port, newDataDir()) });
    running.push(start);
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, start);

    expect(start.output()).toContain('building @connectdesk/server');
    expect(fs.existsSync(MAIN)).toBe(true);
    const [serverPid] = childPids(start.pid);
    expect(serverPid).toBeDefined();
    const server = processInfo(serverPid!);
    expect(server.argv).toEqual([process.execPath, '--enable-source-maps', MAIN]);
    expect(server.argv.join(' ')).not.toMatch(/tsx|\.ts\b/);
    expect(server.env.NODE_OPTIONS ?? '').not.toMatch(/tsx/);
    expect(server.env.NODE_ENV).toBe('production');
    // The bundle is JavaScript with the workspace code inside: nothing imports TypeScript source.
    const bundle = fs.readdirSync(path.join(ROOT, 'server/dist')).filter((f) => f.endsWith('.js'));
    for (const f of bundle) expect(fs.readFileSync(path.join(ROOT, 'server/dist', f), 'utf8')).not.toMatch(/from ["'][^"']*(\.ts|@connectdesk\/shared)["']/);

    // Piped, the log stays JSON.
    const ready = start
      .output()
      .split('\n')
      .find((l) => l.includes('ConnectDesk is ready'));
    expect(JSON.parse(ready!)).toMatchObject({ level: 30, msg: 'ConnectDesk is ready', database: 'sqlite' });

    expect(await start.stop('SIGTERM')).toBe(0);
  });

  it('does not rebuild a bundle that is newer than its sources', async () => {
    if (!fs.existsSync(MAIN)) {
      const build = spawnChild('pnpm', ['--filter', '@connectdesk/server', 'build'], { env: childEnv({}) });
      expect(await build.exited).toBe(0);
    }
    const before = fs.statSync(MAIN).mtimeMs;
    const port = await freePort();
    const start = spawnChild(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { env: serverEnv(port, newDataDir()) });
    running.push(start);
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, start);
    expect(start.output()).not.toContain('building @connectdesk/server');
    expect(fs.statSync(MAIN).mtimeMs).toBe(before);
    expect(await start.stop('SIGTERM')).toBe(0);
  });
});

describe('the compiled server', () => {
  it('writes readable log lines to a terminal', async () => {
    const port = await freePort();
    // script(1) gives the server a pseudo-terminal as stdout, as a person running it would.
    const command = `'${process.execPath}' --enable-source-maps '${MAIN}'`;
    const tty = spawnChild('script', ['-qfec', command, '/dev/null'], { env: serverEnv(port, newDataDir(), { TERM: 'xterm' }) });
    running.push(tty);
    await tty.waitForOutput('ConnectDesk is ready');
    // eslint-disable-next-line no-control-regex -- strips the ANSI colour codes of a terminal
    const plain = tty.output().replace(/\u001b\[[0-9;]*m/g, '');
    const line = plain.split(/\r?\n/).find((l) => l.includes('ConnectDesk is ready'))!;
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: ConnectDesk is ready \{.*"database":"sqlite"/);
    expect(tty.output()).toContain('\u001b['); // coloured
    expect(plain).not.toMatch(/^\{"level"/m);
  });

  it('on SIGTERM finishes the request in flight, exits 0, and keeps what it acknowledged', async () => {
    const port = await freePort();
    const dataDir = newDataDir();
    const server = startCompiled(port, dataDir);
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, server);

    // A visitor's message whose body is still arriving when the signal comes.
    const body = JSON.stringify({ text: 'written while the server stops', name: 'Ana' });
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const response = new Promise<{ status: number; json: any }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
      });
      req.on('error', reject);
    });
    await new Promise<void>((resolve, reject) => req.write(body.slice(0, 12), (err) => (err ? reject(err) : resolve())));
    // A request on another connection answered after that write: the server has read the first one.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    server.child.kill('SIGTERM');
    await server.waitForOutput('"msg":"shutting down"');
    // New connections are refused from now on; the one in flight goes on.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    req.end(body.slice(12));
    const res = await response;
    expect(res.status).toBe(201);
    expect(await server.exited).toBe(0);

    const again = startCompiled(port, dataDir);
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, again);
    const history = await fetch(`http://127.0.0.1:${port}/api/messages?visitor_token=${res.json.visitor_token}`);
    const { data } = (await history.json()) as { data: { id: string; text: string }[] };
    expect(data.map((m) => [m.id, m.text])).toContainEqual([res.json.message_id, 'written while the server stops']);
  });
});
