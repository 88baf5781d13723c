import { describe, expect, it } from 'vitest';
import { TokenBucketRateGate } from './rate-gate.ts';

describe('TokenBucketRateGate', () => {
  it('lets a burst through at once, then spaces calls at the sustained rate', () => {
    let t = 1_000_000;
    const gate = new TokenBucketRateGate({ perSecond: 10, burst: 3, now: () => t });
    const waits = Array.from({ length: 6 }, () => gate.reserve('n1'));
    expect(waits).toEqual([0, 0, 0, 100, 200, 300]);
    t += 1000; // a quiet second refills the bucket
    expect([gate.reserve('n1'), gate.reserve('n1'), gate.reserve('n1'), gate.reserve('n1')]).toEqual([0, 0, 0, 100]);
  });

  it('keeps a separate budget per number', () => {
    const t = 5_000;
    const gate = new TokenBucketRateGate({ perSecond: 1, burst: 1, now: () => t });
    expect(gate.reserve('a')).toBe(0);
    expect(gate.reserve('b')).toBe(0);
    expect(gate.reserve('a')).toBe(1000);
  });

  it('take() sleeps for the reserved wait', async () => {
    const slept: number[] = [];
    const gate = new TokenBucketRateGate({ perSecond: 80, burst: 1, now: () => 0, sleep: async (ms) => void slept.push(ms) });
    await gate.take('n');
    await gate.take('n');
    await gate.take('n');
    expect(slept).toEqual([12.5, 25]);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new TokenBucketRateGate({ perSecond: 0 })).toThrow(/positive/);
  });
});
