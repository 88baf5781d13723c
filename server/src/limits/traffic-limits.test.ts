import { describe, expect, it } from 'vitest';
import { trafficLimitsScaledPerAddress } from './traffic-limits.ts';

describe('trafficLimitsScaledPerAddress', () => {
  it('multiplies what one address may do, never what one visitor or socket may do', () => {
    const base = trafficLimitsScaledPerAddress(1);
    const big = trafficLimitsScaledPerAddress(10);
    expect(big.newVisitorsPerAddress).toBe(base.newVisitorsPerAddress * 10);
    expect(big.uploadsPerAddress).toBe(base.uploadsPerAddress * 10);
    for (const k of ['connections', 'messages', 'attachments', 'history', 'identify'] as const) {
      expect(big[k].perAddress).toBe(base[k].perAddress * 10);
      expect(big[k].overflow).toBe(base[k].overflow * 10);
      expect(big[k].perIdentity).toBe(base[k].perIdentity);
      expect(big[k].fairShare).toBe(base[k].fairShare);
    }
    expect(big.typingGapMs).toBe(base.typingGapMs);
  });
});
