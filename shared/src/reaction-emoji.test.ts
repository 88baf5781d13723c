import { describe, expect, it } from 'vitest';
import { isReactionEmoji, isSingleEmoji } from './reaction-emoji.ts';

describe('isSingleEmoji', () => {
  it('accepts one emoji grapheme of every shape', () => {
    for (const e of ['👍', '❤️', '❤', '😂', '🙏🏽', '👩‍👩‍👧‍👦', '🇵🇹', '1️⃣', '#️⃣', '🏳️‍🌈', '👩🏻‍❤️‍💋‍👨🏼']) expect(isSingleEmoji(e), e).toBe(true);
  });

  it('refuses text, several emoji, an emoji with text, flags made of one letter and empty', () => {
    for (const t of ['hello', 'a', '1', '👍👍', '👍 ', ' 👍', '👍a', 'ok👍', '🇵', '', '<b>', '\u200d']) expect(isSingleEmoji(t), JSON.stringify(t)).toBe(false);
  });

  it('refuses anything longer than an emoji can be', () => {
    expect(isSingleEmoji('👍'.padEnd(40, '\uFE0F'))).toBe(false);
  });
});

describe('isReactionEmoji', () => {
  it('also takes "" (remove the reaction)', () => {
    expect(isReactionEmoji('')).toBe(true);
    expect(isReactionEmoji('🎉')).toBe(true);
    expect(isReactionEmoji('hello')).toBe(false);
  });
});
