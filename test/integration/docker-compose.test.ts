/**
 * The compose files never fall into sandbox mode by accident: `docker compose up` refuses to
 * start until SANDBOX is chosen, and with SANDBOX=false an empty WHATSAPP_ACCESS_TOKEN stops the
 * app at start with one config line. The app's environment is read from each file (the single
 * node of docker-compose.yml, the shared node definition of docker-compose.scale.yml) and
 * interpolated as Compose does (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`), then given to
 * loadConfig exactly as the container would see it (with the image's NODE_ENV=production).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';

const read = (file: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../..', file), 'utf8');

/** The `environment:` block that follows `start` in a compose file, uninterpolated. */
function environmentAfter(compose: string, start: string): Record<string, string> {
  const at = compose.indexOf(start);
  if (at < 0) throw new Error(`${start.trim()} is not in the compose file`);
  const service = compose.slice(at);
  const m = /\n( +)environment:\n/.exec(service);
  if (!m) throw new Error(`no environment under ${start.trim()}`);
  const indent = `${m[1]}  `;
  const block = service.slice(m.index + m[0].length);
  const env: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(`${indent}#`)) continue;
    const kv = new RegExp(`^${indent}([A-Z_]+): (.*)$`).exec(line);
    if (!kv) break;
    env[kv[1]!] = kv[2]!.replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** Compose's interpolation for the forms these files use; throws like `docker compose` does. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?:(:?)([-?])([^}]*))?\}/g, (_all, name: string, colon: string, op: string | undefined, arg: string) => {
    const v = vars[name];
    const missing = v === undefined || (colon === ':' && v === '');
    if (op === '?' && missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
    if (op === '-' && missing) return arg;
    return v ?? '';
  });
}

const DOTENV = { APP_KEY: 'a'.repeat(64), POSTGRES_PASSWORD: 'pw', PUBLIC_URL: 'https://desk.example.com', CONNECTDESK_DOMAIN: 'desk.example.com' };
const LIVE = {
  WHATSAPP_ACCESS_TOKEN: 'EAAlive',
  WHATSAPP_PHONE_NUMBER_ID: '123456789012345',
  WHATSAPP_WEBHOOK_SECRET: '5f1c0e9a7d3b46e2a8c1f0b9',
  WHATSAPP_APP_SECRET: '0d6c9b2e4f7a1358c0e2d4b6a8f1c3e5',
};

/** The node's environment in each compose file; the image adds NODE_ENV=production. */
const FILES = [
  { file: 'docker-compose.yml', start: '\n  connectdesk:\n' },
  { file: 'docker-compose.scale.yml', start: '\nx-node: &node\n' },
];

describe.each(FILES)('$file', ({ file, start }) => {
  const containerEnv = (dotenv: Record<string, string>): Record<string, string> => ({
    NODE_ENV: 'production',
    ...Object.fromEntries(Object.entries(environmentAfter(read(file), start)).map(([k, v]) => [k, interpolate(v, dotenv)])),
  });

  it('refuses to start until SANDBOX is chosen — an empty token never means sandbox by accident', () => {
    expect(() => containerEnv(DOTENV)).toThrow(/required variable SANDBOX is missing a value: set SANDBOX=false and WHATSAPP_ACCESS_TOKEN/);
    expect(() => containerEnv({ ...DOTENV, ...LIVE })).toThrow(/SANDBOX/);
  });

  it('with SANDBOX=false an empty WHATSAPP_ACCESS_TOKEN stops the app with one config line', () => {
    const env = containerEnv({ ...DOTENV, SANDBOX: 'false' });
    expect(env.WHATSAPP_ACCESS_TOKEN).toBe('');
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([expect.stringMatching(/^WHATSAPP_ACCESS_TOKEN is required with SANDBOX=false/)]);
    }
  });

  it('connects to Meta with SANDBOX=false and a token, and runs the sandbox only with SANDBOX=true', () => {
    expect(loadConfig(containerEnv({ ...DOTENV, SANDBOX: 'false', ...LIVE })).mode).toBe('live');
    const sandbox = loadConfig(containerEnv({ ...DOTENV, SANDBOX: 'true' }));
    expect(sandbox.mode).toBe('sandbox');
    expect(sandbox.sandbox.optIn).toBe(true);
  });
});
