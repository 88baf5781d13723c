/**
 * `pnpm sandbox`'s entry (server/src/sandbox/standalone.ts) as its own process: it reads its env,
 * says where it listens, serves the Graph API with its token, signs webhooks with its app secret,
 * stops cleanly on SIGTERM, and refuses bad configuration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../server/src/sandbox/harness.ts';
import { GraphClient } from '../../server/src/whatsapp/graph-client.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'server/src/sandbox/standalone.ts');

function spawnSandbox(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The URL from the "listening" log line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('the sandbox did not say where it listens within 30 s')), 30_000);
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'WhatsApp sandbox listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited early with ${code}`)));
  });
}

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });

describe('standalone sandbox', () => {
  let child: ChildProcess | null = null;
  let receiver: WebhookReceiver | null = null;
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await receiver?.close();
    child = null;
    receiver = null;
  });

  it('starts on a free port, serves Graph with its token, signs webhooks, and exits 0 on SIGTERM', async () => {
    receiver = await startWebhookReceiver('standalone-secret');
    child = spawnSandbox({
      WHATSAPP_ACCESS_TOKEN: 'standalone-token',
      WHATSAPP_APP_SECRET: 'standalone-secret',
      WHATSAPP_PHONE_NUMBER_ID: '123456789012345',
      WHATSAPP_WABA_ID: '543210987654321',
      SANDBOX_WEBHOOK_URL: receiver.url,
    });
    const exited = exitOf(child);
    const url = await listeningUrl(child);
    const client = new GraphClient({
      baseUrl: `${url}/sandbox/graph`,
      version: 'v25.0',
      token: 'standalone-token',
      phoneNumberId: '123456789012345',
      wabaId: '543210987654321',
    });
    expect((await client.getPhoneNumber()).id).toBe('123456789012345');
    expect((await client.listTemplates()).length).toBeGreaterThan(0);
    const wrong = new GraphClient({
      baseUrl: `${url}/sandbox/graph`,
      version: 'v25.0',
      token: 'other',
      phoneNumberId: '123456789012345',
      wabaId: '543210987654321',
    });
    expect(await wrong.getPhoneNumber().catch((e: unknown) => e)).toMatchObject({ code: 190 });

    const phone = await fetch(`${url}/sandbox/phones/4915100002000/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'text', text: { body: 'hi' } }),
    });
    expect((await phone.json()).webhook).toMatchObject({ ok: true });
    expect(receiver.received[0]).toMatchObject({ signatureValid: true });
    expect(receiver.received[0]!.body.entry[0].changes[0].value.metadata.phone_number_id).toBe('123456789012345');

    // Its controls answer another machine (here: through a proxy) only with its token.
    const remote = { 'x-forwarded-for': '203.0.113.9' };
    expect((await fetch(`${url}/sandbox/phones/4915100002000/inbox`, { headers: remote })).status).toBe(401);
    expect((await fetch(`${url}/sandbox/faults`, { method: 'DELETE', headers: { ...remote, authorization: 'Bearer other' } })).status).toBe(401);
    expect((await fetch(`${url}/sandbox/phones/4915100002000/inbox`, { headers: { ...remote, authorization: 'Bearer standalone-token' } })).status).toBe(200);

    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('accepts any token when WHATSAPP_ACCESS_TOKEN is unset', async () => {
    child = spawnSandbox({});
    const url = await listeningUrl(child);
    const client = new GraphClient({
      baseUrl: `${url}/sandbox/graph`,
      version: 'v25.0',
      token: 'anything',
      phoneNumberId: '100000000000001',
      wabaId: '200000000000001',
    });
    expect((await client.debugToken()).is_valid).toBe(true);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
  });

  it('without a token answers only this machine, and will not listen beyond it', async () => {
    child = spawnSandbox({});
    const url = await listeningUrl(child);
    expect((await fetch(`${url}/sandbox/faults`, { headers: { 'x-forwarded-for': '203.0.113.9', authorization: 'Bearer anything' } })).status).toBe(401);
    child.kill('SIGKILL');

    child = spawnSandbox({ HOST: '0.0.0.0' });
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(78);
    expect(stderr).toMatch(/WHATSAPP_ACCESS_TOKEN: set a token when HOST is not a loopback address/);
  });

  it('refuses bad configuration with exit code 78 and one line per problem', async () => {
    child = spawnSandbox({ PORT: 'eighty', SANDBOX_WEBHOOK_URL: 'not a url', SANDBOX_CHAOS: 'maybe' });
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(78);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/SANDBOX_WEBHOOK_URL/);
    expect(stderr).toMatch(/SANDBOX_CHAOS/);
  });
});
