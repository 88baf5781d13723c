/** Identifiers shaped like Meta's: wamids, media ids, business-scoped user ids, fbtrace ids. */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** `wamid.` + base64 of the recipient and a random part, like Meta's opaque message ids. */
export function newWamid(waId: string): string {
  const raw = Buffer.concat([Buffer.from(`\x18\x0c${waId}\x15\x02\x00\x11\x18\x12`), randomBytes(18)]);
  return `wamid.HBgM${raw.toString('base64').replace(/=+$/, '')}`;
}

/** Numeric ids (media, templates) like Meta's 15–16 digit object ids. */
export function newObjectId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

/** The business-scoped user id Meta sends since 2026 (`US.` + digits), stable per WhatsApp id. */
export function userIdFor(waId: string): string {
  const digest = createHash('sha256').update(`sandbox-user:${waId}`).digest();
  return `US.${digest.readBigUInt64BE(0).toString().padStart(20, '0')}`;
}

/**
 * A business-scoped user id as Meta shapes it: the user's ISO country code, a period, then up to
 * 128 alphanumerics (a parent BSUID has `ENT.` in between), e.g. `US.13491208655302741918`.
 */
export function isBsuid(value: string): boolean {
  return /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/.test(value);
}

/** A group id shaped like the Groups API's (opaque base64, e.g. `Y2FwaV9ncm91cDox…`). */
export function newGroupId(): string {
  return Buffer.from(`capi_group:${randomInt(1e9, 1e10)}:${randomInt(1e9, 1e10)}${randomInt(1e5, 1e6)}`).toString('base64url');
}

export function newFbtraceId(): string {
  return randomBytes(12).toString('base64').replace(/[+/=]/g, 'A');
}
