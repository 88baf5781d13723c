import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryLimiters } from './limiter-factory.ts';

describe('memoryLimiters', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('take counts hits, refuses past the budget and frees the key when the window ends', async () => {
    const limiter = memoryLimiters()({ name: 't', points: 2, windowSeconds: 60 });
    expect(await limiter.take('a')).toEqual({ allowed: true, consumed: 1, retryAfterSeconds: 60 });
    expect((await limiter.take('a')).allowed).toBe(true);
    expect(await limiter.take('a')).toEqual({ allowed: false, consumed: 3, retryAfterSeconds: 60 });
    expect((await limiter.take('b')).allowed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect((await limiter.take('a')).allowed).toBe(true);
  });

  it('peek reads a key without counting; count never refuses; reset forgets', async () => {
    const limiter = memoryLimiters()({ name: 't', points: 2, windowSeconds: 600 });
    expect(await limiter.peek('a')).toBeNull();
    for (let i = 1; i <= 4; i++) expect(await limiter.count('a')).toBe(i);
    expect(await limiter.peek('a')).toEqual({ consumed: 4, retryAfterSeconds: 600 });
    expect(await limiter.peek('a')).toEqual({ consumed: 4, retryAfterSeconds: 600 });
    await limiter.reset('a');
    expect(await limiter.peek('a')).toBeNull();
    expect((await limiter.take('a')).allowed).toBe(true);
  });

  it('block spends the budget for longer than the window, then lets go', async () => {
    const limiter = memoryLimiters()({ name: 't', points: 1, windowSeconds: 1 });
    await limiter.block('a', 90);
    expect(await limiter.peek('a')).toEqual({ consumed: 2, retryAfterSeconds: 90 });
    expect((await limiter.take('a')).allowed).toBe(false);
    vi.advanceTimersByTime(90_000);
    expect(await limiter.peek('a')).toBeNull();
    expect((await limiter.take('a')).allowed).toBe(true);
  });

  it('keeps limiters of different names apart', async () => {
    const limiters = memoryLimiters();
    const one = limiters({ name: 'one', points: 1, windowSeconds: 60 });
    const two = limiters({ name: 'two', points: 1, windowSeconds: 60 });
    expect((await one.take('a')).allowed).toBe(true);
    expect((await one.take('a')).allowed).toBe(false);
    expect((await two.take('a')).allowed).toBe(true);
  });
});
