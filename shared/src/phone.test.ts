import { describe, expect, it } from 'vitest';
import { callingCode, normalizeWaId } from './phone.ts';

describe('normalizeWaId', () => {
  it.each([
    ['+1 (555) 010-2030', '15550102030'],
    ['+44 7700 900123', '447700900123'],
    ['0044 7700 900123', '447700900123'],
    ['8801712345678', '8801712345678'],
  ])('%s → %s', (input, out) => expect(normalizeWaId(input)).toBe(out));
  it.each(['', 'call me', '123', '+1234567890123456', '07700 900123', '+44 7700 abc'])('rejects %s', (input) => expect(normalizeWaId(input)).toBeNull());
});

describe('callingCode', () => {
  it.each([
    ['15550102030', '1'],
    ['79161234567', '7'],
    ['447700900123', '44'],
    ['351912345678', '351'],
    ['5511987654321', '55'],
    ['8801712345678', '880'],
    ['919876543210', '91'],
  ])('%s → +%s', (waId, code) => expect(callingCode(waId)).toBe(code));
  it.each([null, '', 'US.123', '0123456789'])('none for %s', (waId) => expect(callingCode(waId)).toBeNull());
});
