import { describe, expect, it } from 'vitest';
import { FaultBodySchema, Faults } from './faults.ts';

describe('Faults', () => {
  it('hands out queued faults in order, each as many times as asked', () => {
    const f = new Faults();
    f.add('http_500', 2);
    f.add('network', 1);
    expect(f.pending()).toEqual([
      { kind: 'http_500', remaining: 2 },
      { kind: 'network', remaining: 1 },
    ]);
    expect([f.take(), f.take(), f.take(), f.take()]).toEqual(['http_500', 'http_500', 'network', null]);
  });

  it('clear drops everything pending', () => {
    const f = new Faults();
    f.add('timeout', 5);
    f.clear();
    expect(f.take()).toBeNull();
    expect(f.pending()).toEqual([]);
  });

  it('the body schema refuses unknown kinds and silly counts, and defaults count to 1', () => {
    expect(FaultBodySchema.parse({ kind: 'rate_limit' })).toEqual({ kind: 'rate_limit', count: 1 });
    expect(FaultBodySchema.safeParse({ kind: 'explode', count: 1 }).success).toBe(false);
    expect(FaultBodySchema.safeParse({ kind: 'timeout', count: 0 }).success).toBe(false);
    expect(FaultBodySchema.safeParse({ kind: 'timeout', count: 1.5 }).success).toBe(false);
    expect(FaultBodySchema.safeParse({ kind: 'timeout', count: '2' }).success).toBe(false);
  });
});
