import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../sandbox/rate-limits.ts';
import { MemoryPairBudget } from './pair-budget.ts';

const KEY = { phoneNumberId: '100000000000001', waId: '15550100001' };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('MemoryPairBudget', () => {
  it('lets a burst through, then one message per interval', async () => {
    const c = clock();
    const b = new MemoryPairBudget({ burst: 3, intervalMs: 1000, now: c.now });
    expect([await b.take(KEY, 0), await b.take(KEY, 0), await b.take(KEY, 0)]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(await b.take(KEY, 0)).toEqual({ ok: false, retryAt: c.now() + 1000 });
    c.advance(999);
    expect((await b.take(KEY, 0)).ok).toBe(false);
    c.advance(1);
    expect(await b.take(KEY, 0)).toEqual({ ok: true });
    expect(await b.take({ ...KEY, waId: '15550100002' }, 0)).toEqual({ ok: true });
  });

  it('keeps `keep` messages back for sends that matter more', async () => {
    const c = clock();
    const b = new MemoryPairBudget({ burst: 5, intervalMs: 1000, now: c.now });
    for (let i = 0; i < 3; i++) expect((await b.take(KEY, 2)).ok).toBe(true);
    expect(await b.take(KEY, 2)).toEqual({ ok: false, retryAt: c.now() + 1000 });
    expect((await b.take(KEY, 0)).ok).toBe(true);
    expect((await b.take(KEY, 0)).ok).toBe(true);
    expect((await b.take(KEY, 0)).ok).toBe(false);
  });

  it('peek says how many could go now and when the next one comes', async () => {
    const c = clock();
    const b = new MemoryPairBudget({ burst: 4, intervalMs: 1000, now: c.now });
    expect(await b.peek(KEY)).toEqual({ tokens: 4, nextAt: c.now() });
    await b.take(KEY, 0);
    await b.take(KEY, 0);
    expect(await b.peek(KEY)).toEqual({ tokens: 2, nextAt: c.now() + 1000 });
    c.advance(400);
    expect(await b.peek(KEY)).toEqual({ tokens: 2, nextAt: c.now() + 600 });
    c.advance(5000);
    expect(await b.peek(KEY)).toEqual({ tokens: 4, nextAt: c.now() });
  });

  it('exhaust (Meta said 131056) empties it: the next message one interval later', async () => {
    const c = clock();
    const b = new MemoryPairBudget({ burst: 10, intervalMs: 1000, now: c.now });
    await b.exhaust(KEY);
    expect(await b.peek(KEY)).toEqual({ tokens: 0, nextAt: c.now() + 1000 });
    expect(await b.take(KEY, 0)).toEqual({ ok: false, retryAt: c.now() + 1000 });
    c.advance(1000);
    expect((await b.take(KEY, 0)).ok).toBe(true);
    expect((await b.take(KEY, 0)).ok).toBe(false);
  });

  it('starts from what was sent before a restart', async () => {
    const c = clock();
    const asked: number[] = [];
    const b = new MemoryPairBudget({
      burst: 3,
      intervalMs: 6000,
      now: c.now,
      history: async (_key, since) => {
        asked.push(since);
        return [c.now() - 1000, c.now() - 500];
      },
    });
    expect((await b.peek(KEY)).tokens).toBe(1);
    expect(asked).toEqual([c.now() - 6000 * 4]);
    expect((await b.take(KEY, 0)).ok).toBe(true);
    expect((await b.take(KEY, 0)).ok).toBe(false);
    expect(asked).toHaveLength(1);
  });

  it('never lets through a message Meta’s bucket (the sandbox’s model of it) would refuse', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const [burst, interval] of [
      [45, 6000],
      [3, 1000],
      [1, 500],
    ] as const) {
      const c = clock();
      const budget = new MemoryPairBudget({ burst, intervalMs: interval, now: c.now });
      const meta = new TokenBucket(burst, 1 / interval, c.now);
      let sent = 0;
      for (let i = 0; i < 2000; i++) {
        c.advance(Math.floor(random() * interval * 0.6));
        if ((await budget.take(KEY, 0)).ok) {
          sent += 1;
          expect(meta.take(), `send ${sent} at ${c.now()}`).toBe(true);
        }
      }
      expect(sent).toBeGreaterThan(100);
    }
  });
});
