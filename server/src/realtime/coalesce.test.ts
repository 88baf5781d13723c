import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from './coalesce.ts';

describe('coalesce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once for a burst of triggers, and once more for a trigger during a run', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const task = () => {
      runs++;
      return new Promise<void>((resolve) => (release = resolve));
    };
    const c = coalesce(task, 100, () => {});
    c.trigger();
    c.trigger();
    c.trigger();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
    // Two triggers while it runs: exactly one more run after it.
    c.trigger();
    c.trigger();
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(2);
  });

  it('reports a failing run and keeps working; nothing runs after stop', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const c = coalesce(
      async () => {
        runs++;
        if (runs === 1) throw new Error('boom');
      },
      10,
      (err) => errors.push(err),
    );
    c.trigger();
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toHaveLength(1);
    c.trigger();
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toBe(2);
    c.trigger();
    await c.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
  });
});
