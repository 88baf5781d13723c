/**
 * Is a shared secret strong enough for live mode? The app secret is Meta's (32 hex characters) and
 * the webhook verify token is chosen by the owner, so the rules only catch what is plainly weak:
 * fewer than 16 characters, fewer than 8 different characters, or mostly runs and sequences
 * (`aaaa`, `1234`, `abcd`). `openssl rand -hex 16` always passes. Returns why, or null.
 */
const MIN_SECRET_LENGTH = 16;
const MIN_DISTINCT_CHARACTERS = 8;

export function weakSecretReason(secret: string): string | null {
  const chars = [...secret];
  if (chars.length < MIN_SECRET_LENGTH) return `it has ${chars.length} characters; use at least ${MIN_SECRET_LENGTH}`;
  const distinct = new Set(chars).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) return `it uses only ${distinct} different characters; use at least ${MIN_DISTINCT_CHARACTERS}`;
  // Steps of -1, 0 or +1 between neighbours: "aaaa", "1234", "dcba".
  let predictable = 0;
  for (let i = 1; i < chars.length; i++) {
    if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) <= 1) predictable++;
  }
  if (predictable * 2 >= chars.length - 1) return 'it is mostly repeated or consecutive characters';
  return null;
}
