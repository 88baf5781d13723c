import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

/** Every problem loadConfig reports for this environment (none → []). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/app');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const LIVE = {
  WHATSAPP_ACCESS_TOKEN: 'EAAtoken',
  WHATSAPP_PHONE_NUMBER_ID: '123',
  WHATSAPP_WEBHOOK_SECRET: '5f1c0e9a7d3b46e2a8c1f0b9',
  WHATSAPP_APP_SECRET: '0d6c9b2e4f7a1358c0e2d4b6a8f1c3e5',
};

describe('loadConfig', () => {
  it('defaults to sandbox mode, SQLite in ./data, port 3000, Graph v25.0', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.mode).toBe('sandbox');
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.database).toEqual({ client: 'sqlite', filename: '/srv/app/data/connectdesk.sqlite' });
    expect(c.whatsapp.apiVersion).toBe('v25.0');
    expect(c.whatsapp.verifyToken).toMatch(/^[0-9a-f]{32}$/);
    expect(c.whatsapp.appSecret).not.toBe(c.whatsapp.verifyToken);
    expect(c.whatsapp.appSecretGenerated && c.whatsapp.verifyTokenGenerated).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('never derives the sandbox secrets from DATA_DIR (main.ts stores random ones per install)', () => {
    const a = loadConfig({ DATA_DIR: '/srv/data' });
    const b = loadConfig({ DATA_DIR: '/srv/data' });
    const derived = (label: string) => createHash('sha256').update(`${label}:/srv/data`).digest('hex').slice(0, 32);
    expect(a.whatsapp.appSecret).not.toBe(derived('app-secret'));
    expect(a.whatsapp.verifyToken).not.toBe(derived('verify-token'));
    expect(a.whatsapp.appSecret).not.toBe(b.whatsapp.appSecret);
    const set = loadConfig({ WHATSAPP_APP_SECRET: 'chosen-app-secret-1', WHATSAPP_WEBHOOK_SECRET: 'chosen-verify-token' });
    expect(set.whatsapp).toMatchObject({
      appSecret: 'chosen-app-secret-1',
      verifyToken: 'chosen-verify-token',
      appSecretGenerated: false,
      verifyTokenGenerated: false,
    });
  });

  it('scales the per-address visitor limits only by a whole factor from 1 to 1000', () => {
    expect(loadConfig({}).visitorLimitsPerAddress).toBe(1);
    expect(loadConfig({ VISITOR_LIMITS_PER_ADDRESS: '10' }).visitorLimitsPerAddress).toBe(10);
    expect(problemsOf({ VISITOR_LIMITS_PER_ADDRESS: '0' })).toEqual(['VISITOR_LIMITS_PER_ADDRESS must be a whole number from 1 to 1000, got "0"']);
    expect(problemsOf({ VISITOR_LIMITS_PER_ADDRESS: '2.5' })).toHaveLength(1);
  });

  it('takes the messages one visitor may send a minute from 1 to 600, 30 by default', () => {
    expect(loadConfig({}).visitorMessagesPerMinute).toBe(30);
    expect(loadConfig({ VISITOR_MESSAGES_PER_MINUTE: '120' }).visitorMessagesPerMinute).toBe(120);
    expect(problemsOf({ VISITOR_MESSAGES_PER_MINUTE: '601' })).toEqual(['VISITOR_MESSAGES_PER_MINUTE must be a whole number from 1 to 600, got "601"']);
  });

  it('switches to PostgreSQL with a postgres:// URL and live mode with a token', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', ...LIVE });
    expect(c.database.client).toBe('pg');
    expect(c.mode).toBe('live');
  });

  it('reports every problem at once, one human line each', () => {
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', WHATSAPP_API_VERSION: '25', APP_KEY: 'short', ADMIN_EMAIL: 'a@b.c' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems[0]).toBe('PORT must be a whole number from 0 to 65535, got "70000"');
      expect(problems.join('\n')).toMatch(/DATABASE_URL has an unsupported scheme "mysql"/);
    }
  });

  it('live mode needs the phone number id, verify token and app secret', () => {
    expect(() => loadConfig({ WHATSAPP_ACCESS_TOKEN: 'EAAx' })).toThrow(/WHATSAPP_PHONE_NUMBER_ID is required/);
  });

  describe('sandbox mode in production', () => {
    const PROD = { NODE_ENV: 'production', PUBLIC_URL: 'https://desk.example.com' };

    it('refuses a production start at a public URL without a token, in one line that says what to set', () => {
      const problems = problemsOf(PROD);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/WHATSAPP_ACCESS_TOKEN is not set in production at https:\/\/desk\.example\.com/);
      expect(problems[0]).toContain('SANDBOX=true');
      expect(problems[0]).not.toContain('\n');
    });

    it('runs the sandbox there only with SANDBOX=true, and remembers that it was chosen', () => {
      const c = loadConfig({ ...PROD, SANDBOX: 'true' });
      expect(c.mode).toBe('sandbox');
      expect(c.sandbox.optIn).toBe(true);
      expect(c.whatsapp.accessToken).toBeNull();
    });

    it('keeps `pnpm start` on a laptop working: no PUBLIC_URL, or a loopback one, needs no opt-in', () => {
      for (const publicUrl of [undefined, 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
        const c = loadConfig({ NODE_ENV: 'production', ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}) });
        expect(c.mode, publicUrl).toBe('sandbox');
        expect(c.sandbox.optIn).toBe(false);
      }
      expect(loadConfig({ PUBLIC_URL: 'https://desk.example.com' }).mode).toBe('sandbox'); // not production
    });

    it('makes SANDBOX and the token an explicit choice', () => {
      expect(problemsOf({ SANDBOX: 'false' })).toEqual([expect.stringMatching(/^WHATSAPP_ACCESS_TOKEN is required with SANDBOX=false/)]);
      expect(problemsOf({ ...LIVE, SANDBOX: 'true' })).toEqual([expect.stringMatching(/^SANDBOX=true and WHATSAPP_ACCESS_TOKEN are both set/)]);
      expect(problemsOf({ SANDBOX: 'maybe' })).toEqual(['SANDBOX must be true or false, got "maybe"']);
      expect(loadConfig({ ...LIVE, ...PROD, SANDBOX: 'false' }).mode).toBe('live');
    });
  });

  describe('live mode checks', () => {
    it('refuses weak secrets, each on its own line, all at once', () => {
      const problems = problemsOf({ ...LIVE, WHATSAPP_WEBHOOK_SECRET: 'verify-me', WHATSAPP_APP_SECRET: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
      expect(problems).toEqual([
        expect.stringMatching(/^WHATSAPP_APP_SECRET is too weak for live mode: it uses only 1 different characters/),
        expect.stringMatching(/^WHATSAPP_WEBHOOK_SECRET is too weak for live mode: it has 9 characters; use at least 16/),
      ]);
      expect(problemsOf({ ...LIVE, WHATSAPP_WEBHOOK_SECRET: '0123456789abcdefghij' })).toEqual([
        expect.stringMatching(/WHATSAPP_WEBHOOK_SECRET .*repeated or consecutive/),
      ]);
      // Sandbox mode is local: the same values are fine there.
      expect(problemsOf({ WHATSAPP_WEBHOOK_SECRET: 'verify-me', WHATSAPP_APP_SECRET: 'secret' })).toEqual([]);
    });

    it('refuses an http:// Graph URL unless it is this machine (a local fake Graph for tests)', () => {
      expect(problemsOf({ ...LIVE, WHATSAPP_GRAPH_URL: 'http://graph.example.com' })).toEqual([
        expect.stringMatching(/^WHATSAPP_GRAPH_URL must be https:\/\/ in live mode/),
      ]);
      for (const local of ['http://127.0.0.1:9', 'http://localhost:4010/sandbox/graph', 'http://[::1]:4010'])
        expect(problemsOf({ ...LIVE, WHATSAPP_GRAPH_URL: local }), local).toEqual([]);
      expect(problemsOf({ ...LIVE, WHATSAPP_GRAPH_URL: 'https://graph.example.com' })).toEqual([]);
      expect(problemsOf({ WHATSAPP_GRAPH_URL: 'http://sandbox.internal:4010/sandbox/graph' })).toEqual([]); // sandbox mode
    });
  });
  describe('operations', () => {
    it('METRICS_TOKEN: unset turns /metrics off; a strong token is kept as given', () => {
      expect(loadConfig({}).metricsToken).toBeNull();
      expect(loadConfig({ METRICS_TOKEN: '9f2c4e1a7b3d5f60c8e2a4b6d1f3e5a7' }).metricsToken).toBe('9f2c4e1a7b3d5f60c8e2a4b6d1f3e5a7');
    });

    it('refuses a weak METRICS_TOKEN, or one that cannot travel in a header, in every mode', () => {
      expect(problemsOf({ METRICS_TOKEN: 'prometheus' })).toEqual([expect.stringMatching(/^METRICS_TOKEN is too weak: it has 10 characters; use at least 16/)]);
      expect(problemsOf({ METRICS_TOKEN: 'abcdefghijklmnopqrstuvwxyz' })).toEqual([
        expect.stringMatching(/^METRICS_TOKEN is too weak: .*repeated or consecutive/),
      ]);
      expect(problemsOf({ METRICS_TOKEN: '9f2c4e1a 7b3d5f60 c8e2a4b6' })).toEqual([
        expect.stringMatching(/^METRICS_TOKEN must be printable ASCII without spaces/),
      ]);
      expect(problemsOf({ ...LIVE, METRICS_TOKEN: 'short' })).toEqual([expect.stringMatching(/^METRICS_TOKEN is too weak/)]);
    });

    it('REDIS_PREFIX namespaces this install in a shared Redis (default connectdesk)', () => {
      expect(loadConfig({}).redisPrefix).toBe('connectdesk');
      expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: 'desk-eu:prod' }).redisPrefix).toBe('desk-eu:prod');
      for (const bad of ['-leading', 'has space', 'x'.repeat(65), 'key*glob']) {
        expect(problemsOf({ REDIS_PREFIX: bad }), bad).toEqual([expect.stringMatching(/^REDIS_PREFIX must be 1 to 64 letters, digits or \. _ : -/)]);
      }
    });
  });

  describe('e-mail (SMTP_URL, SMTP_FROM)', () => {
    it('is off without SMTP_URL, and on with a valid URL and sender', () => {
      expect(loadConfig({}, '/srv/app').smtp).toBeNull();
      const c = loadConfig({ SMTP_URL: 'smtps://desk:secret@smtp.example.com:465', SMTP_FROM: 'ConnectDesk <desk@example.com>' }, '/srv/app');
      expect(c.smtp).toEqual({ url: 'smtps://desk:secret@smtp.example.com:465', from: 'ConnectDesk <desk@example.com>' });
      expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', SMTP_FROM: 'desk@example.com' }, '/srv/app').smtp?.from).toBe('desk@example.com');
    });

    it('names what is wrong: the scheme, a missing or malformed sender, a sender without a server, no PUBLIC_URL in production', () => {
      expect(problemsOf({ SMTP_URL: 'http://smtp.example.com', SMTP_FROM: 'desk@example.com' })).toEqual([
        expect.stringMatching(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/),
      ]);
      expect(problemsOf({ SMTP_URL: 'smtp://smtp.example.com' })).toEqual([expect.stringMatching(/^SMTP_FROM is required with SMTP_URL/)]);
      expect(problemsOf({ SMTP_URL: 'smtp://smtp.example.com', SMTP_FROM: 'not an address' })).toEqual([
        expect.stringMatching(/^SMTP_FROM must be an address/),
      ]);
      expect(problemsOf({ SMTP_URL: 'smtp://smtp.example.com', SMTP_FROM: 'Desk <desk@example.com>\r\nBcc: x@evil.example' })).toEqual([
        expect.stringMatching(/^SMTP_FROM must be an address/),
      ]);
      expect(problemsOf({ SMTP_FROM: 'desk@example.com' })).toEqual([expect.stringMatching(/^SMTP_FROM is set but SMTP_URL is not/)]);
      const production = { NODE_ENV: 'production', SANDBOX: 'true', SMTP_URL: 'smtp://smtp.example.com', SMTP_FROM: 'desk@example.com' };
      expect(problemsOf(production)).toEqual([expect.stringMatching(/^PUBLIC_URL is required with SMTP_URL in production/)]);
      expect(problemsOf({ ...production, PUBLIC_URL: 'https://desk.example.com' })).toEqual([]);
    });
  });
});
