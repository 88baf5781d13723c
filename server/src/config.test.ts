import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('switches to PostgreSQL with a postgres:// URL and live mode with a token', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
      WHATSAPP_ACCESS_TOKEN: 'EAAtoken',
      WHATSAPP_PHONE_NUMBER_ID: '123',
      WHATSAPP_WEBHOOK_SECRET: 'verify',
      WHATSAPP_APP_SECRET: 'secret',
    });
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
});
