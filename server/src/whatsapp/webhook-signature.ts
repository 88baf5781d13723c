/**
 * `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the exact raw body bytes with the app
 * secret. Verified before anything is parsed or stored, in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

export function signWebhookBody(raw: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

export function isValidSignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header) return false;
  const m = HEADER.exec(header.trim());
  if (!m) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  const given = Buffer.from(m[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
