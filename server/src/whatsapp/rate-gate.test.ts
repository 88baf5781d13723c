import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../sandbox/rate-limits.ts';
import { defaultBurst, TokenBucketRateGate } from './rate-gate.ts';

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

  /**
   * Meta's limit as the sandbox models it (a one-second bucket of 80, refilled at 80/s, counted on
   * arrival) fed with 4,000 calls queued at once and released when the gate says. On the way each
   * call is delayed 0–50 ms at random, and every 2 s the sender stalls for 300 ms (a GC pause, a
   * slow upstream): whatever the gate released meanwhile arrives together when the stall ends.
   */
  function refusedByMeta(gate: TokenBucketRateGate, clock: { t: number }): { refused: number; lastArrivalMs: number } {
    const meta = new TokenBucket(80, 80 / 1000, () => clock.t);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const arrivals = Array.from({ length: 4000 }, () => {
      const released = gate.reserve('n');
      const stallEnd = Math.floor(released / 2000) * 2000 + 300;
      return Math.max(released, stallEnd) + random() * 50;
    }).sort((a, b) => a - b);
    let refused = 0;
    for (const at of arrivals) {
      clock.t = at;
      if (!meta.take()) refused += 1;
    }
    return { refused, lastArrivalMs: arrivals.at(-1)! };
  }

  it('paced at the full rate, calls that reach Meta bunched up by jitter and stalls never hit its bucket (130429)', () => {
    const clock = { t: 0 };
    const { refused, lastArrivalMs } = refusedByMeta(new TokenBucketRateGate({ perSecond: 80, now: () => clock.t }), clock);
    expect(refused).toBe(0);
    // …and the throughput is still the full rate: 4,000 calls in about 50 s.
    expect(lastArrivalMs / 1000).toBeLessThan(50.5);
  });

  it('the same traffic with a full second of burst does cost 130429s (why the default is a quarter second)', () => {
    const clock = { t: 0 };
    expect(refusedByMeta(new TokenBucketRateGate({ perSecond: 80, burst: 80, now: () => clock.t }), clock).refused).toBeGreaterThan(0);
    expect(defaultBurst(80)).toBe(20);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new TokenBucketRateGate({ perSecond: 0 })).toThrow(/positive/);
  });
});
