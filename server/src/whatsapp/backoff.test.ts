import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.ts';

describe('retryDelay', () => {
  const opts = (r: number) => ({ baseMs: 1000, maxMs: 60_000, random: () => r });

  it('doubles per attempt with jitter between half and the full delay', () => {
    expect([1, 2, 3, 4].map((a) => retryDelay(a, '1', opts(0)))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => retryDelay(a, '1', opts(1)))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the cap', () => {
    expect(retryDelay(30, 'http_5xx', opts(1))).toBe(60_000);
    expect(retryDelay(30, 'http_5xx', opts(0))).toBe(30_000);
  });

  it('waits at least six seconds after a pair-rate error', () => {
    expect(retryDelay(1, '131056', opts(0))).toBe(6000);
    expect(retryDelay(1, '130429', opts(0))).toBe(500);
  });

  it('waits the documented floor after the other throttling codes, never retrying 131049 soon', () => {
    expect(retryDelay(1, '80007', opts(0))).toBe(60_000);
    expect(retryDelay(1, '4', opts(1))).toBe(60_000);
    expect(retryDelay(1, '131048', opts(0))).toBe(300_000);
    expect(retryDelay(1, '131049', opts(0))).toBe(3_600_000);
    expect(retryDelay(8, '131048', opts(1))).toBe(300_000);
  });
});
