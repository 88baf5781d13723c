import { describe, expect, it } from 'vitest';
import { weakSecretReason } from './secret-strength.ts';

describe('weakSecretReason', () => {
  it('passes what openssl rand and Meta give', () => {
    expect(weakSecretReason('0d6c9b2e4f7a1358c0e2d4b6a8f1c3e5')).toBeNull();
    expect(weakSecretReason('Zx9!kq2LmP0wR7tY')).toBeNull();
  });

  it('names why a secret is weak', () => {
    expect(weakSecretReason('short')).toMatch(/5 characters/);
    expect(weakSecretReason('abababababababababab')).toMatch(/only 2 different characters/);
    expect(weakSecretReason('abcdefghijklmnopqrstuvwxyz')).toMatch(/consecutive/);
    expect(weakSecretReason('aaaabbbbccccddddeeeeffffgggghhhh')).toMatch(/repeated/);
  });
});
