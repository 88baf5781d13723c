import { describe, expect, it } from 'vitest';
import { trafficLimitSettings } from './traffic-limits.ts';

describe('trafficLimitSettings', () => {
  it('multiplies what one address may do, never what one visitor or socket may do', () => {
    const base = trafficLimitSettings();
    const big = trafficLimitSettings({ perAddress: 10 });
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

  it('lets one visitor send more (or fewer) messages a minute, and nothing else', () => {
    const base = trafficLimitSettings();
    const chatty = trafficLimitSettings({ visitorMessagesPerMinute: 90 });
    expect(chatty.messages.perIdentity).toBe(90);
    expect({ ...chatty, messages: base.messages }).toEqual(base);
    expect(chatty.messages.perAddress).toBe(base.messages.perAddress);
  });
});
