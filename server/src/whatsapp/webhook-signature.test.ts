import { describe, expect, it } from 'vitest';
import { isValidSignature, signWebhookBody } from './webhook-signature.ts';

const secret = 'app-secret-for-tests';
// Meta escapes non-ASCII as \uXXXX: the signature covers those exact bytes.
const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"text":"caf\\u00e9"}}]}]}');

describe('webhook signature', () => {
  it('accepts the HMAC of the exact raw bytes, in either hex case', () => {
    const sig = signWebhookBody(raw, secret);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(isValidSignature(raw, sig, secret)).toBe(true);
    expect(isValidSignature(raw, sig.toUpperCase().replace('SHA256=', 'sha256='), secret)).toBe(true);
  });

  it('refuses a missing, malformed or wrong signature', () => {
    const sig = signWebhookBody(raw, secret);
    expect(isValidSignature(raw, undefined, secret)).toBe(false);
    expect(isValidSignature(raw, '', secret)).toBe(false);
    expect(isValidSignature(raw, sig.replace('sha256=', 'sha1='), secret)).toBe(false);
    expect(isValidSignature(raw, 'sha256=abc', secret)).toBe(false);
    expect(isValidSignature(raw, signWebhookBody(raw, 'another-secret'), secret)).toBe(false);
  });

  it('refuses the signature of a re-serialised body (same JSON, different bytes)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(reserialised.equals(raw)).toBe(false);
    expect(isValidSignature(raw, signWebhookBody(reserialised, secret), secret)).toBe(false);
  });
});
