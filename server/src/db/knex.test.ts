import { describe, expect, it } from 'vitest';
import { createDb, isPostgres, parseInt8 } from './knex.ts';

describe('PostgreSQL int8 parsing', () => {
  it('turns bigint text into numbers while they are exact (epoch ms, sizes, counts)', () => {
    expect(parseInt8('0')).toBe(0);
    expect(parseInt8('1795750918123')).toBe(1795750918123);
    expect(parseInt8('-42')).toBe(-42);
    expect(parseInt8(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('keeps a value beyond 2^53 as its exact text rather than rounding it', () => {
    expect(parseInt8('9007199254740993')).toBe('9007199254740993');
  });
});

describe('createDb', () => {
  it('picks the pg client for a postgres URL without connecting', async () => {
    const db = createDb({ client: 'pg', connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      expect(isPostgres(db)).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
