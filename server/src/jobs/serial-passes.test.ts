import { describe, expect, it } from 'vitest';
import { SerialPasses } from './serial-passes.ts';

describe('SerialPasses', () => {
  it('never overlaps passes and turns requests during a pass into exactly one more pass', async () => {
    let active = 0;
    let maxActive = 0;
    let passCount = 0;
    let release: () => void = () => {};
    const loop = new SerialPasses(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      passCount++;
      await new Promise<void>((r) => (release = r));
      active--;
    });
    loop.request();
    expect(passCount).toBe(0); // not started yet
    loop.start();
    loop.request();
    loop.request();
    loop.request();
    expect(passCount).toBe(1);
    release();
    await new Promise((r) => setImmediate(r));
    expect(passCount).toBe(2);
    release();
    await loop.idle();
    expect(passCount).toBe(2);
    expect(maxActive).toBe(1);
  });

  it('stops: waits for the current pass and starts no more', async () => {
    let passCount = 0;
    const loop = new SerialPasses(async () => {
      passCount++;
      await new Promise((r) => setTimeout(r, 5));
    });
    loop.start();
    loop.request();
    await loop.stop();
    expect(loop.inProgress).toBeNull();
    loop.request();
    expect(passCount).toBe(1);
    expect(loop.running).toBe(false);
  });
});
