/**
 * A stable name and avatar colour for every contact, derived from its id alone, so five anonymous
 * visitors no longer look identical ("Amber Falcon", "Quiet Otter"). The server and the admin app
 * both call these with the same id and get the same answer. A name the visitor gave always wins;
 * this is only what is shown until then.
 */

const ADJECTIVES = [
  'Amber',
  'Azure',
  'Bold',
  'Brave',
  'Bright',
  'Calm',
  'Clever',
  'Coral',
  'Crimson',
  'Gentle',
  'Golden',
  'Happy',
  'Jade',
  'Lively',
  'Lucky',
  'Misty',
  'Noble',
  'Quiet',
  'Rapid',
  'Silver',
  'Sunny',
  'Swift',
  'Velvet',
  'Witty',
] as const;

const ANIMALS = [
  'Badger',
  'Crane',
  'Dolphin',
  'Falcon',
  'Fox',
  'Gecko',
  'Heron',
  'Ibis',
  'Jaguar',
  'Koala',
  'Lynx',
  'Marten',
  'Narwhal',
  'Otter',
  'Owl',
  'Panda',
  'Puffin',
  'Raven',
  'Robin',
  'Seal',
  'Sparrow',
  'Tiger',
  'Walrus',
  'Wren',
] as const;

/** Avatar backgrounds: each keeps white initials at 4.5:1 or more (WCAG AA for text). */
export const AVATAR_COLORS = [
  '#0b57d0',
  '#b3261e',
  '#0a7a3f',
  '#8a4b00',
  '#6a1b9a',
  '#00695c',
  '#ad1457',
  '#37474f',
  '#4527a0',
  '#1565c0',
  '#6d5a00',
  '#c2185b',
] as const;

/** FNV-1a, then a murmur3-style finaliser so neighbouring ids (ULIDs share prefixes) spread out. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** "Amber Falcon": the same for the same id, everywhere. */
export function generatedVisitorName(id: string): string {
  const h = hash32(id);
  return `${ADJECTIVES[h % ADJECTIVES.length]} ${ANIMALS[Math.floor(h / ADJECTIVES.length) % ANIMALS.length]}`;
}

/** The avatar colour of a contact (`#rrggbb`). */
export function avatarColor(id: string): string {
  const h = hash32(id);
  return AVATAR_COLORS[Math.floor(h / (ADJECTIVES.length * ANIMALS.length)) % AVATAR_COLORS.length]!;
}
