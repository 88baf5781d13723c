/**
 * Start-up rules that keep an install's data and secrets its own: the sandbox's webhook secrets
 * are random per install (DATA_DIR/sandbox-secrets.json, 0600) rather than derived from DATA_DIR;
 * DATA_DIR and the SQLite database are private to this account; and a production start at a
 * public URL without a Meta token needs SANDBOX=true — otherwise it refuses, in one line.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, freePort } from '../support/cluster.ts';
import { startTestServer, tempDir, waitFor } from '../support/server.ts';
import { customerText, messagesWebhook, postWebhook, sign } from '../support/whatsapp.ts';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('sandbox secrets', () => {
  it('are random per install, kept in DATA_DIR (0600) across restarts, never derived from DATA_DIR', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await startTestServer({}, { dataDir });
    const { appSecret, verifyToken } = first.config.whatsapp;
    await first.stop();
    const file = path.join(dataDir, 'sandbox-secrets.json');
    expect(modeOf(file)).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ app_secret: appSecret, verify_token: verifyToken });
    const derived = (label: string) => createHash('sha256').update(`${label}:${dataDir}`).digest('hex').slice(0, 32);
    expect(appSecret).not.toBe(derived('app-secret'));
    expect(verifyToken).not.toBe(derived('verify-token'));

    const again = await startTestServer({}, { dataDir });
    try {
      expect(again.config.whatsapp.appSecret).toBe(appSecret);
      expect(again.config.whatsapp.verifyToken).toBe(verifyToken);
      // Webhooks signed with the stored secret are accepted, with any other refused.
      const body = JSON.stringify(messagesWebhook(again, customerText('447700904101', 'signed')));
      expect((await postWebhook(again, body, { signature: sign(body, appSecret) })).status).toBe(200);
      expect(
        (await postWebhook(again, body, { signature: sign(body, createHash('sha256').update(`app-secret:${dataDir}`).digest('hex').slice(0, 32)) })).status,
      ).toBe(401);
    } finally {
      await again.stop();
    }
    const other = await startTestServer();
    try {
      expect(other.config.whatsapp.appSecret).not.toBe(appSecret);
    } finally {
      await other.stop();
    }
  });

  it('give way to WHATSAPP_APP_SECRET and WHATSAPP_WEBHOOK_SECRET', async () => {
    const s = await startTestServer({ WHATSAPP_APP_SECRET: 'my-own-app-secret-123', WHATSAPP_WEBHOOK_SECRET: 'my-own-verify-token-1' });
    try {
      expect(s.config.whatsapp).toMatchObject({ appSecret: 'my-own-app-secret-123', verifyToken: 'my-own-verify-token-1' });
      const q = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-own-verify-token-1', 'hub.challenge': 'c1' });
      expect(await (await s.fetch(`/api/whatsapp/webhook?${q}`)).text()).toBe('c1');
    } finally {
      await s.stop();
    }
  });
});

describe('DATA_DIR', () => {
  it('is created 0700 with the database, its WAL and the keys 0600', async () => {
    const parent = tempDir();
    dirs.push(parent);
    const dataDir = path.join(parent, 'data');
    // SQLite even under `pnpm test:pg`: the database file's mode is the point.
    const s = await startTestServer({ DATABASE_URL: `sqlite:${dataDir}/connectdesk.sqlite` }, { dataDir });
    try {
      expect(modeOf(dataDir)).toBe(0o700);
      for (const f of ['connectdesk.sqlite', 'app.key', 'sandbox-secrets.json']) expect(modeOf(path.join(dataDir, f)), f).toBe(0o600);
      await s.fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"written"}' });
      const wal = path.join(dataDir, 'connectdesk.sqlite-wal');
      await waitFor(() => fs.existsSync(wal));
      expect(modeOf(wal)).toBe(0o600);
    } finally {
      await s.stop();
    }
  });

  it('is made private when others could read it (and its database), keeping the owner’s group bits', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    fs.chmodSync(dataDir, 0o755);
    const db = path.join(dataDir, 'connectdesk.sqlite');
    fs.writeFileSync(db, '');
    fs.chmodSync(db, 0o644);
    const s = await startTestServer({ DATABASE_URL: `sqlite:${db}` }, { dataDir });
    try {
      expect(modeOf(dataDir)).toBe(0o750);
      expect(modeOf(db)).toBe(0o640);
    } finally {
      await s.stop();
    }
  });
});

describe('a production start without a Meta token', () => {
  function runServer(env: Record<string, string>) {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  it('at a public URL refuses with one config error line that says what to set', async () => {
    const run = runServer({ PORT: String(await freePort()), PUBLIC_URL: 'https://desk.example.com' });
    expect(await run.exited).toBe(78);
    const lines = run.err().trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^config error: WHATSAPP_ACCESS_TOKEN is not set in production at https:\/\/desk\.example\.com: .*SANDBOX=true/),
    ]);
  });

  it('runs the sandbox with SANDBOX=true and says so loudly', async () => {
    const port = await freePort();
    const run = runServer({ PORT: String(port), PUBLIC_URL: 'https://desk.example.com', SANDBOX: 'true' });
    try {
      await waitFor(() => run.out().includes('SANDBOX MODE (SANDBOX=true) at https://desk.example.com'), {
        timeout: 60_000,
        message: `the banner\n${run.out()}\n${run.err()}`,
      });
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health.mode).toBe('sandbox');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
