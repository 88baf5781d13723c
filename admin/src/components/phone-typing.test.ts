import { describe, expect, it } from 'vitest';
import { TYPING_SHOWN_MS, typingShown } from './phone-typing.tsx';

describe('typingShown (simulated phones)', () => {
  const at = '2026-12-04T10:00:00.000Z';
  const t = Date.parse(at);

  it('shows "typing…" for 25 s after the indicator, then not', () => {
    expect(typingShown(at, [], t + 1_000)).toBe(true);
    expect(typingShown(at, [], t + TYPING_SHOWN_MS - 1)).toBe(true);
    expect(typingShown(at, [], t + TYPING_SHOWN_MS)).toBe(false);
    expect(typingShown(null, [], t)).toBe(false);
  });

  it("stops once the business's next message arrived", () => {
    expect(typingShown(at, [{ timestamp: '2026-12-04T09:59:00.000Z' }], t + 1_000)).toBe(true);
    expect(typingShown(at, [{ timestamp: '2026-12-04T10:00:03.000Z' }], t + 4_000)).toBe(false);
  });
});
