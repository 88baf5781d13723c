import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('is a 26-character ULID whose first 10 characters encode the time', () => {
    const id = newId(Date.UTC(2026, 10, 27));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const decoded = [...id.slice(0, 10)].reduce((acc, c) => acc * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    expect(decoded).toBe(Date.UTC(2026, 10, 27));
  });

  it('is strictly increasing, also within one millisecond and when the clock steps back', () => {
    const ids = [newId(5_000_000), newId(5_000_000), newId(5_000_000), newId(4_999_999), newId(5_000_001)];
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    const many = Array.from({ length: 10_000 }, () => newId());
    expect(new Set(many).size).toBe(10_000);
    expect([...many].sort()).toEqual(many);
  });
});
