import { describe, expect, it } from 'vitest';
import { SendLimits, TokenBucket } from './rate-limits.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then refills at its rate', () => {
    const c = clock();
    const b = new TokenBucket(3, 1 / 1000, c.now);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    c.advance(999);
    expect(b.take()).toBe(false);
    c.advance(1);
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
  });

  it('never holds more than its capacity however long it waits', () => {
    const c = clock();
    const b = new TokenBucket(2, 1, c.now);
    c.advance(1_000_000);
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
    expect(b.isFull()).toBe(false);
  });
});

describe('SendLimits', () => {
  it('throughput is per business number', () => {
    const c = clock();
    const limits = new SendLimits({ messagesPerSecond: 2, pairBurst: 100, pairIntervalMs: 6000, now: c.now });
    expect([limits.takeThroughput('A'), limits.takeThroughput('A'), limits.takeThroughput('A')]).toEqual([true, true, false]);
    expect(limits.takeThroughput('B')).toBe(true);
    c.advance(500);
    expect(limits.takeThroughput('A')).toBe(true);
  });

  it('pair rate is per recipient: a burst, then one every interval', () => {
    const c = clock();
    const limits = new SendLimits({ messagesPerSecond: 80, pairBurst: 2, pairIntervalMs: 6000, now: c.now });
    expect([limits.takePair('A', '1'), limits.takePair('A', '1'), limits.takePair('A', '1')]).toEqual([true, true, false]);
    expect(limits.takePair('A', '2')).toBe(true);
    c.advance(5999);
    expect(limits.takePair('A', '1')).toBe(false);
    c.advance(1);
    expect(limits.takePair('A', '1')).toBe(true);
  });
});
