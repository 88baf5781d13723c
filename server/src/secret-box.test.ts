import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox (AES-256-GCM)', () => {
  it('round-trips, never stores the plain text, and detects tampering or a wrong key', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('EAAG-secret-token');
    expect(sealed).not.toContain('EAAG');
    expect(box.open(sealed)).toBe('EAAG-secret-token');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('EAAG-secret-tokeX').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});
