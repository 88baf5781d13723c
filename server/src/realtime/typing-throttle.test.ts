import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingThrottle } from './typing-throttle.ts';

describe('TypingThrottle', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const sent: boolean[] = [];
    const throttle = new TypingThrottle(3_000, () => now);
    const signal = (on: boolean) => throttle.signal('v1', on, (x) => sent.push(x));
    const advance = (ms: number) => {
      now += ms;
      vi.advanceTimersByTime(ms);
    };
    return { sent, throttle, signal, advance };
  };

  it('passes one "on" and its "off"; repeats and stray offs go nowhere', () => {
    const { sent, signal } = setup();
    for (let i = 0; i < 20; i++) signal(true);
    signal(false);
    signal(false);
    expect(sent).toEqual([true, false]);
  });

  it('coalesces a flood of on/off pairs to one "on" per gap, plus the final "off"', () => {
    const { sent, signal, advance } = setup();
    for (let i = 0; i < 100; i++) {
      signal(true);
      signal(false);
      advance(10);
    }
    expect(sent).toEqual([true, false]);
  });

  it('an "on" inside the gap reaches the agents when the gap ends, if still typing', () => {
    const { sent, signal, advance } = setup();
    signal(true);
    signal(false);
    advance(1_000);
    signal(true);
    expect(sent).toEqual([true, false]);
    advance(1_999);
    expect(sent).toEqual([true, false]);
    advance(1);
    expect(sent).toEqual([true, false, true]);
    signal(false);
    expect(sent).toEqual([true, false, true, false]);
  });

  it('forgets a visitor once they stopped typing and the gap is over', () => {
    const { throttle, signal, advance, sent } = setup();
    signal(true);
    signal(false);
    expect(throttle.size).toBe(1);
    advance(3_000);
    expect(throttle.size).toBe(0);
    signal(true);
    expect(sent).toEqual([true, false, true]);
  });
});
