/**
 * The sign-in throttle on its own, with a fake clock: the delay per address + account doubles up
 * to its cap and ends; the right password forgets the failures; another address is never
 * affected, whether by one account's failures or by an address going over its cap.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors.ts';
import { memoryLimiters, type Limiter, type LimitSpec, type LimiterFactory } from '../limits/limiter-factory.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

/** null when allowed, else the refusal's code and Retry-After seconds. */
async function attempt(t: SignInThrottle, address: string, email: string): Promise<{ code: string; retryAfter: number } | null> {
  try {
    await t.check(address, email);
    return null;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, retryAfter: (err.details as { retry_after: number }).retry_after };
  }
}

describe('SignInThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delays an address + account after 5 failures, doubling each time up to 15 minutes', async () => {
    const t = new SignInThrottle(memoryLimiters());
    for (let i = 0; i < 4; i++) {
      expect(await attempt(t, '10.0.0.1', 'ana@example.com')).toBeNull();
      await t.failed('10.0.0.1', 'ana@example.com');
    }
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      expect(await attempt(t, '10.0.0.1', 'ana@example.com')).toBeNull();
      await t.failed('10.0.0.1', 'Ana@Example.com'); // the email is keyed case-insensitively
      const refused = await attempt(t, '10.0.0.1', 'ana@example.com');
      expect(refused?.code).toBe('locked');
      delays.push(refused!.retryAfter);
      vi.advanceTimersByTime(refused!.retryAfter * 1000);
    }
    expect(delays).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('never delays the same account from another address, and the right password forgets the failures', async () => {
    const t = new SignInThrottle(memoryLimiters());
    for (let i = 0; i < 10; i++) await t.failed('10.0.0.66', 'ana@example.com');
    expect((await attempt(t, '10.0.0.66', 'ana@example.com'))?.code).toBe('locked');
    expect(await attempt(t, '10.0.0.1', 'ana@example.com')).toBeNull();

    for (let i = 0; i < 5; i++) await t.failed('10.0.0.1', 'ana@example.com');
    expect(await attempt(t, '10.0.0.1', 'ana@example.com')).not.toBeNull();
    await t.succeeded('10.0.0.1', 'ana@example.com');
    expect(await attempt(t, '10.0.0.1', 'ana@example.com')).toBeNull();
    await t.failed('10.0.0.1', 'ana@example.com');
    expect(await attempt(t, '10.0.0.1', 'ana@example.com')).toBeNull(); // counting starts again
  });

  it('caps failures per address across accounts for the window, without touching other addresses', async () => {
    const t = new SignInThrottle(memoryLimiters(), { addressFailures: 30, addressWindowSeconds: 600 });
    for (let i = 0; i < 30; i++) {
      expect(await attempt(t, '10.0.0.66', `user${i}@example.com`)).toBeNull();
      await t.failed('10.0.0.66', `user${i}@example.com`);
    }
    const refused = await attempt(t, '10.0.0.66', 'someone-new@example.com');
    expect(refused?.code).toBe('rate_limited');
    expect(refused!.retryAfter).toBeGreaterThan(590);
    expect(await attempt(t, '10.0.0.1', 'someone-new@example.com')).toBeNull();
    vi.advanceTimersByTime(600_000);
    expect(await attempt(t, '10.0.0.66', 'someone-new@example.com')).toBeNull();
  });

  it('takes every limiter from the factory it is given (the one main.ts chooses for all limits)', async () => {
    const made = new Map<string, { spec: LimitSpec; limiter: Limiter }>();
    const memory = memoryLimiters();
    const recording: LimiterFactory = (spec) => {
      const limiter = memory(spec);
      made.set(spec.name, { spec, limiter });
      return limiter;
    };
    const t = new SignInThrottle(recording, { addressFailures: 2, addressWindowSeconds: 60 });
    expect([...made.keys()].sort()).toEqual(['sign-in-address-failures', 'sign-in-delay', 'sign-in-failures']);
    expect(made.get('sign-in-address-failures')!.spec).toMatchObject({ points: 2, windowSeconds: 60 });
    // The limiters it got are the ones that hold its state.
    await t.failed('10.0.0.9', 'bo@example.com');
    await t.failed('10.0.0.9', 'cy@example.com');
    expect(await made.get('sign-in-address-failures')!.limiter.peek('10.0.0.9')).toMatchObject({ consumed: 2 });
    expect(await made.get('sign-in-failures')!.limiter.peek('10.0.0.9|bo@example.com')).toMatchObject({ consumed: 1 });
    expect((await attempt(t, '10.0.0.9', 'dee@example.com'))?.code).toBe('rate_limited');
  });
});
