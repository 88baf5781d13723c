/**
 * What a reaction may be: exactly one emoji as the eye sees it (one grapheme: a flag, a keycap, a
 * skin tone or a ZWJ family is still one), or empty to take the reaction back. Text like "hello"
 * or "👍👍" is not a reaction.
 */

/** The longest emoji grapheme we accept, in UTF-16 units (ZWJ sequences with skin tones run to ~15). */
export const MAX_REACTION_LENGTH = 32;

const EMOJI_START = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** One emoji grapheme (not empty). */
export function isSingleEmoji(value: string): boolean {
  if (!value || value.length > MAX_REACTION_LENGTH) return false;
  const it = graphemes.segment(value)[Symbol.iterator]();
  const first = it.next();
  if (first.done || !it.next().done) return false;
  return EMOJI_START.test(value);
}

/** A reaction's emoji: one emoji, or "" to remove the reaction. */
export function isReactionEmoji(value: string): boolean {
  return value === '' || isSingleEmoji(value);
}
