#!/usr/bin/env node
// `node scripts/check-release.mjs DIR`: proves a release folder made by `pnpm release` is what a
// container image would hold. Run as root (as CI does) it starts everything as an unprivileged
// user (`connectdesk-check`, created when missing) with plain `node`, nothing but the folder's own
// production dependencies, and a fresh DATA_DIR; as anyone else, as that user. It checks that the
// compiled server applies the configuration rules (no accidental sandbox in production, strong
// live-mode secrets, a consistent TRUST_PROXY / TRUSTED_PROXIES); that it gets healthy, makes a
// world-readable DATA_DIR private and serves the widget, the admin app and signed webhooks; that
// the compiled CLI (a scoped, expiring API token) and sandbox entries work; that SIGTERM stops it
// with exit 0; and that a backup taken while it runs restores into a server that has the same data. Prints one line per check, the start-up
// figures, and `release-check: N passed, N failed`; exits 1 on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { diskMb, freePort, rssMb, sign, until, webhookBody } from './lib/probes.mjs';

const { values, positionals } = parseArgs({ options: { user: { type: 'string', default: 'connectdesk-check' } }, allowPositionals: true });
if (positionals.length !== 1) {
  process.stderr.write('usage: node scripts/check-release.mjs RELEASE_DIR [--user NAME]\n');
  process.exit(64);
}
const dir = path.resolve(positionals[0]);
const DEV_ONLY = ['tsx', 'typescript', 'esbuild', 'vite', 'vitest'];
const ADMIN = { email: 'release-check@example.com', password: randomBytes(12).toString('hex') };
const APP_SECRET = randomBytes(32).toString('hex');
const VERIFY_TOKEN = randomBytes(16).toString('hex');
const PHONE_NUMBER_ID = '100000000000001';
const CUSTOMER = '15557654321';

const results = [];
function record(name, ok, detail = '') {
  results.push({ name, ok });
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}\n`);
  return ok;
}
function check(name, fn) {
  try {
    const detail = fn();
    return record(name, true, typeof detail === 'string' ? detail : '');
  } catch (err) {
    return record(name, false, err.message);
  }
}
async function checkAsync(name, fn) {
  try {
    const detail = await fn();
    return record(name, true, typeof detail === 'string' ? detail : '');
  } catch (err) {
    return record(name, false, err.message);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// --- who runs it ---------------------------------------------------------------------------------
const asRoot = process.getuid() === 0;
let uid = process.getuid();
let gid = process.getgid();
if (asRoot) {
  if (spawnSync('id', ['-u', values.user]).status !== 0) {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', values.user], { encoding: 'utf8' });
    if (made.status !== 0) {
      process.stderr.write(`release-check: could not create user ${values.user}: ${made.stderr}\n`);
      process.exit(1);
    }
  }
  uid = Number(spawnSync('id', ['-u', values.user], { encoding: 'utf8' }).stdout.trim());
  gid = Number(spawnSync('id', ['-g', values.user], { encoding: 'utf8' }).stdout.trim());
}
/** The command line that runs `args` as the unprivileged user (setpriv execs: same pid, signals go straight to it). */
const asUser = (args) => (asRoot ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', ...args] : args);

const temps = [];
function userDir(prefix) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chownSync(d, uid, gid);
  temps.push(d);
  return d;
}

const baseEnv = (dataDir) => ({
  PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
  HOME: dataDir,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  // The simulated Cloud API, chosen explicitly (as production requires without a Meta token).
  SANDBOX: 'true',
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_WEBHOOK_SECRET: VERIFY_TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  LOG_LEVEL: 'info',
});

const children = new Set();
function startNode(entry, env) {
  const [cmd, ...args] = asUser([process.execPath, '--enable-source-maps', path.join(dir, entry)]);
  const child = spawn(cmd, args, { cwd: env.DATA_DIR ?? os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out = (out + c).slice(-64 * 1024)));
  child.stderr.on('data', (c) => (out = (out + c).slice(-64 * 1024)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  children.add(child);
  void exited.then(() => children.delete(child));
  return { child, exited, output: () => out, started: performance.now() };
}

function cli(args, env) {
  const [cmd, ...rest] = asUser([process.execPath, '--enable-source-maps', path.join(dir, 'server/dist/cli.js'), ...args]);
  const r = spawnSync(cmd, rest, { cwd: env.DATA_DIR, env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`cli ${args[0]} exited ${r.status ?? r.signal}: ${r.stderr.trim()}`);
  return r.stdout;
}

async function healthy(proc, url) {
  let gone = null;
  void proc.exited.then((c) => (gone = c));
  await until(async () => {
    if (gone !== null) throw new Error(`exited with ${gone}`);
    const res = await fetch(url);
    return res.status === 200 ? res : null;
  }, url).catch((err) => {
    throw new Error(`${gone !== null ? `exited with ${gone} before it was healthy` : err.message}\n${proc.output()}`);
  });
  return performance.now() - proc.started;
}

async function stop(proc, timeout = 20_000) {
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeout);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}

async function conversationsWith(base, token) {
  const res = await fetch(`${base}/admin/api/conversations`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /admin/api/conversations: ${res.status}`);
  const { data } = await res.json();
  return data.find((c) => c.channel === 'whatsapp' && c.contact?.wa_id === CUSTOMER) ?? null;
}

// --- the folder ----------------------------------------------------------------------------------
check('the folder holds the compiled entries, the widget and the admin app', () => {
  for (const f of [
    'server/dist/main.js',
    'server/dist/cli.js',
    'server/dist/sandbox.js',
    'widget/dist/widget.js',
    'admin/dist/index.html',
    'package.json',
    'release.json',
  ]) {
    assert(fs.existsSync(path.join(dir, f)), `${f} is missing`);
  }
  const notJs = fs.readdirSync(path.join(dir, 'server/dist')).filter((f) => !/\.js(\.map)?$/.test(f));
  assert(notJs.length === 0, `server/dist holds ${notJs.join(', ')}`);
  return `${diskMb(dir).toFixed(1)} MB`;
});
check('production dependencies only: no tsx, TypeScript or build tools', () => {
  const modules = path.join(dir, 'server/node_modules');
  const store = fs.existsSync(path.join(modules, '.pnpm')) ? fs.readdirSync(path.join(modules, '.pnpm')) : [];
  const found = DEV_ONLY.filter((n) => fs.existsSync(path.join(modules, n)) || store.some((d) => d.startsWith(`${n}@`)));
  assert(found.length === 0, `found ${found.join(', ')}`);
});
check('module resolution cannot reach outside the folder', () => {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    assert(!fs.existsSync(path.join(d, 'node_modules')), `${path.join(d, 'node_modules')} would also be searched: put the release elsewhere`);
    if (d === path.dirname(d)) break;
  }
});
if (asRoot) {
  check(`readable by ${values.user}, not writable`, () => {
    const [cmd, ...args] = asUser(['test', '-r', path.join(dir, 'server/dist/main.js')]);
    assert(spawnSync(cmd, args).status === 0, `${values.user} cannot read the folder (its parent folders need o+x)`);
    const [cmd2, ...args2] = asUser(['test', '-w', dir]);
    assert(spawnSync(cmd2, args2).status !== 0, `${values.user} may write into the release folder`);
  });
}

// --- the configuration rules, as the compiled server applies them ---------------------------------
/** Starts the compiled server with `extra` and expects it to refuse at once: exit 78, one line per problem. */
function refuses(extra, expected) {
  const env = { ...baseEnv(userDir('connectdesk-check-refused-')), PORT: '0', ...extra };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const [cmd, ...args] = asUser([process.execPath, '--enable-source-maps', path.join(dir, 'server/dist/main.js')]);
  const r = spawnSync(cmd, args, { cwd: env.DATA_DIR, env, encoding: 'utf8', timeout: 30_000 });
  assert(r.status === 78, `exit ${r.status ?? r.signal}, expected 78: ${r.stderr.trim()}`);
  for (const line of expected) assert(r.stderr.includes(line), `no "${line}" in: ${r.stderr.trim()}`);
}
check('refuses production at a public URL without a Meta token unless SANDBOX=true', () =>
  refuses({ SANDBOX: undefined, PUBLIC_URL: 'https://desk.example.com' }, [
    'config error: WHATSAPP_ACCESS_TOKEN is not set in production at https://desk.example.com',
  ]),
);
check('refuses weak live-mode secrets and a plain-http Graph URL', () =>
  refuses(
    {
      SANDBOX: undefined,
      WHATSAPP_ACCESS_TOKEN: 'EAArelease-check-token',
      WHATSAPP_APP_SECRET: 'secret',
      WHATSAPP_WEBHOOK_SECRET: 'aaaaaaaaaaaaaaaaaaaa',
      WHATSAPP_GRAPH_URL: 'http://graph.example.com',
    },
    ['WHATSAPP_APP_SECRET is too weak for live mode', 'WHATSAPP_WEBHOOK_SECRET is too weak for live mode', 'WHATSAPP_GRAPH_URL must be https://'],
  ),
);
check('refuses a proxy list that TRUST_PROXY contradicts, and a TRUST_PROXY that is not a hop count', () => {
  refuses({ TRUST_PROXY: '0', TRUSTED_PROXIES: '10.0.0.0/8' }, ['TRUSTED_PROXIES lists proxies but TRUST_PROXY says there are none']);
  refuses({ TRUST_PROXY: 'maybe' }, ['TRUST_PROXY must be true, false or the number of proxies']);
});

// --- the running server --------------------------------------------------------------------------
let figures = '';
const dataDir = userDir('connectdesk-check-data-');
// Left readable by everyone, as an unwary install might: the server must make it private at start.
fs.chmodSync(dataDir, 0o755);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const METRICS_TOKEN = randomBytes(24).toString('hex');
const env = { ...baseEnv(dataDir), PORT: String(port), METRICS_TOKEN };
const server = startNode('server/dist/main.js', env);
let token = null;
const up = await checkAsync(`starts as ${asRoot ? values.user : os.userInfo().username} with plain node and gets healthy`, async () => {
  const ms = await healthy(server, `${base}/healthz`);
  const health = await (await fetch(`${base}/healthz`)).json();
  assert(health.ok === true, `healthz: ${JSON.stringify(health)}`);
  const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  assert(Number(/^Uid:\s+(\d+)/m.exec(status)[1]) === uid, 'runs under another uid');
  const argv = fs.readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  // tsx as an argument or a path segment (a random temp folder may spell "tsx" inside its name).
  assert(argv[0] === process.execPath && !argv.some((a) => /(^|[/=])tsx(\/|$)|\.ts$/.test(a)), `command line: ${argv.join(' ')}`);
  figures = `ready in ${(ms / 1000).toFixed(2)} s, ${rssMb(server.child.pid).toFixed(0)} MB resident`;
  return figures;
});
if (up) {
  check('made DATA_DIR and its database private to the server’s user', () => {
    const mode = (f) => fs.statSync(f).mode & 0o777;
    assert((mode(dataDir) & 0o007) === 0, `DATA_DIR is ${mode(dataDir).toString(8)}`);
    const db = path.join(dataDir, 'connectdesk.sqlite');
    assert(fs.existsSync(db), `no database at ${db}`);
    assert((mode(db) & 0o077) === 0, `the database is ${mode(db).toString(8)}`);
    return `DATA_DIR ${mode(dataDir).toString(8)}, database ${mode(db).toString(8)}`;
  });
}
if (up) {
  await checkAsync('serves the widget: GET /widget.js', async () => {
    const res = await fetch(`${base}/widget.js`);
    const text = await res.text();
    assert(res.status === 200 && /javascript/.test(res.headers.get('content-type') ?? ''), `${res.status} ${res.headers.get('content-type')}`);
    assert(text.length > 1000, `only ${text.length} bytes`);
  });
  await checkAsync('serves the admin app: GET /admin/ and its script', async () => {
    const res = await fetch(`${base}/admin/`);
    const html = await res.text();
    assert(res.status === 200 && /text\/html/.test(res.headers.get('content-type') ?? ''), `${res.status}`);
    const script = /src="([^"]+\.js)"/.exec(html)?.[1];
    assert(script, 'no script tag in /admin/');
    const js = await fetch(new URL(script, `${base}/admin/`));
    assert(js.status === 200, `${script}: ${js.status}`);
  });
  await checkAsync("answers Meta's verification handshake", async () => {
    const res = await fetch(`${base}/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=4242`);
    assert(res.status === 200 && (await res.text()) === '4242', `${res.status}`);
  });
  await checkAsync('accepts a signed webhook and refuses unsigned or wrongly signed ones', async () => {
    const post = (body, signature) =>
      fetch(`${base}/api/whatsapp/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
        body,
      });
    const unsigned = await post(webhookBody({ wamid: 'wamid.release-check-unsigned', text: 'nope', phoneNumberId: PHONE_NUMBER_ID, from: CUSTOMER }));
    const wrong = await post(
      webhookBody({ wamid: 'wamid.release-check-wrong', text: 'nope', phoneNumberId: PHONE_NUMBER_ID, from: CUSTOMER }),
      sign('other', APP_SECRET),
    );
    const body = webhookBody({
      wamid: `wamid.release-check-${randomBytes(6).toString('hex')}`,
      text: 'hello from the release check',
      phoneNumberId: PHONE_NUMBER_ID,
      from: CUSTOMER,
    });
    const signed = await post(body, sign(body, APP_SECRET));
    assert(unsigned.status === 401 && wrong.status === 401, `unsigned ${unsigned.status}, wrong signature ${wrong.status}`);
    assert(signed.status === 200, `signed: ${signed.status}`);
  });
  await checkAsync('serves Prometheus metrics to the METRICS_TOKEN only, and echoes request ids', async () => {
    const refused = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token' } });
    assert(refused.status === 401, `wrong token: ${refused.status}`);
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}`, 'x-request-id': 'release-check-metrics' } });
    const text = await res.text();
    assert(res.status === 200 && res.headers.get('x-request-id') === 'release-check-metrics', `metrics: ${res.status}`);
    for (const name of [
      'connectdesk_http_request_seconds_count{route="/api/whatsapp/webhook",status="200"}',
      'connectdesk_outbox_pending',
      'process_resident_memory_bytes',
    ]) {
      assert(text.includes(name), `metrics without ${name}`);
    }
  });
  await checkAsync('the compiled CLI makes an API token, and the webhook is in the inbox', async () => {
    // A token that may only read conversations: what the check needs, and the CLI's scope flag.
    const printed = cli(['create-token', '--email', ADMIN.email, '--name', 'release-check', '--scope', 'conversations:read', '--expires-in', '1d'], env);
    token = /\(shown once\): (\S+)$/m.exec(printed)?.[1];
    assert(token, `no token printed: ${printed}`);
    assert(/^scopes: conversations:read; expires: \d{4}-/m.test(printed), `scopes and expiry not confirmed: ${printed}`);
    const settings = await fetch(`${base}/admin/api/settings/widget`, { headers: { authorization: `Bearer ${token}` } });
    assert(settings.status === 403, `a conversations:read token reached the settings: ${settings.status}`);
    await until(() => conversationsWith(base, token), 'the webhook conversation', 30_000);
  });
}
const backupDir = userDir('connectdesk-check-backup-');
const backupFile = path.join(backupDir, 'backup.tar.gz');
if (up) {
  await checkAsync('backs up while the server runs (compiled CLI)', async () => {
    return cli(['backup', '--to', backupFile], env).trim();
  });
}
await checkAsync('SIGTERM stops it with exit code 0', async () => {
  const code = await stop(server);
  assert(code === 0, `exit ${code}\n${server.output()}`);
});
if (fs.existsSync(backupFile)) {
  await checkAsync('restores the backup into a new data dir, and a server there has the same inbox', async () => {
    const restoredDir = userDir('connectdesk-check-restored-');
    const restoredEnv = { ...baseEnv(restoredDir), PORT: String(await freePort()) };
    cli(['restore', '--from', backupFile], restoredEnv);
    const again = startNode('server/dist/main.js', restoredEnv);
    try {
      const url = `http://127.0.0.1:${restoredEnv.PORT}`;
      await healthy(again, `${url}/healthz`);
      assert(await conversationsWith(url, token), 'the conversation is missing after the restore');
    } finally {
      const code = await stop(again);
      assert(code === 0, `restored server exit ${code}`);
    }
  });
}
await checkAsync('the compiled sandbox entry serves the simulated Cloud API', async () => {
  const sbPort = await freePort();
  const sandbox = startNode('server/dist/sandbox.js', { ...baseEnv(userDir('connectdesk-check-sandbox-')), PORT: String(sbPort) });
  try {
    await healthy(sandbox, `http://127.0.0.1:${sbPort}/sandbox/`);
    const overview = await (await fetch(`http://127.0.0.1:${sbPort}/sandbox/`)).json();
    assert(overview.sandbox === true && overview.phone_number_id === PHONE_NUMBER_ID, JSON.stringify(overview));
  } finally {
    const code = await stop(sandbox);
    assert(code === 0, `sandbox exit ${code}`);
  }
});

for (const child of children) child.kill('SIGKILL');
for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
const failed = results.filter((r) => !r.ok).length;
if (figures) process.stdout.write(`figures: ${figures}; release folder ${diskMb(dir).toFixed(1)} MB\n`);
process.stdout.write(`release-check: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
