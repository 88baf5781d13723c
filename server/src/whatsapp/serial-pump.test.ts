import { describe, expect, it } from 'vitest';
import { SerialPump } from './serial-pump.ts';

describe('SerialPump', () => {
  it('never overlaps passes and turns kicks during a pass into exactly one more pass', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    let release: () => void = () => {};
    const pump = new SerialPump(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      passes++;
      await new Promise<void>((r) => (release = r));
      active--;
    });
    pump.kick();
    expect(passes).toBe(0); // not started yet
    pump.start();
    pump.kick();
    pump.kick();
    pump.kick();
    expect(passes).toBe(1);
    release();
    await new Promise((r) => setImmediate(r));
    expect(passes).toBe(2);
    release();
    await pump.idle();
    expect(passes).toBe(2);
    expect(maxActive).toBe(1);
  });

  it('stops: waits for the current pass and starts no more', async () => {
    let passes = 0;
    const pump = new SerialPump(async () => {
      passes++;
      await new Promise((r) => setTimeout(r, 5));
    });
    pump.start();
    pump.kick();
    await pump.stop();
    expect(pump.inProgress).toBeNull();
    pump.kick();
    expect(passes).toBe(1);
    expect(pump.running).toBe(false);
  });
});
