import { describe, expect, it } from 'vitest';
import { findVerificationCode, newVerificationCode, phonePatch, verificationPrompt } from './phone-verification.ts';
import type { ContactRow } from '../db/repos/contacts-repo.ts';

describe('phone verification codes', () => {
  it('are CD- and six unambiguous characters', () => {
    for (let i = 0; i < 50; i++) expect(newVerificationCode()).toMatch(/^CD-[A-HJ-NP-Z2-9]{6}$/);
    expect(newVerificationCode(() => Buffer.from([0, 1, 2, 31, 32, 255]))).toBe('CD-ABC9A9');
  });

  it('are found in what people send, typed or pasted', () => {
    expect(findVerificationCode('CD-7K3Q9P')).toBe('CD-7K3Q9P');
    expect(findVerificationCode('hi there cd 7k3q9p thanks')).toBe('CD-7K3Q9P');
    expect(findVerificationCode('code:CD7K3Q9P')).toBe('CD-7K3Q9P');
    expect(findVerificationCode('ABCD-7K3Q9P')).toBeNull();
    expect(findVerificationCode('CD-7K3Q9PX')).toBeNull();
    expect(findVerificationCode('CD-7K3Q0P')).toBeNull(); // 0 is never issued
    expect(findVerificationCode('no code here')).toBeNull();
  });

  it('link the business number with the code filled in, or name it when unknown', () => {
    expect(verificationPrompt('+447700900123', 'CD-7K3Q9P', '15550000001')).toContain('https://wa.me/15550000001?text=CD-7K3Q9P');
    expect(verificationPrompt('+447700900123', 'CD-7K3Q9P', null)).toContain('to our WhatsApp number');
  });

  it('start over for a different number', () => {
    const c = { phone: '+447700900123', phone_verified_at: 1, phone_verification_code: null } as ContactRow;
    expect(phonePatch(c, '+447700900123')).toEqual({});
    expect(phonePatch(c, '+447700900124')).toEqual({ phone: '+447700900124', phone_verified_at: null, phone_verification_code: null });
  });
});
