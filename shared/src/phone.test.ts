import { describe, expect, it } from 'vitest';
import { normalizeWaId } from './phone.ts';

describe('normalizeWaId', () => {
  it.each([
    ['+1 (555) 010-2030', '15550102030'],
    ['+44 7700 900123', '447700900123'],
    ['0044 7700 900123', '447700900123'],
    ['8801712345678', '8801712345678'],
  ])('%s → %s', (input, out) => expect(normalizeWaId(input)).toBe(out));
  it.each(['', 'call me', '123', '+1234567890123456', '07700 900123', '+44 7700 abc'])('rejects %s', (input) =>
    expect(normalizeWaId(input)).toBeNull(),
  );
});
