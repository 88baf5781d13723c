import { describe, expect, it } from 'vitest';
import { insertAt } from './emoji-button.tsx';

describe('insertAt (emoji picker)', () => {
  it('inserts at the caret, or in place of the selection, and puts the caret after the emoji', () => {
    expect(insertAt('Hello world', '👋', 5, 5)).toEqual({ value: 'Hello👋 world', caret: 7 });
    expect(insertAt('Hello world', '🌍', 6, 11)).toEqual({ value: 'Hello 🌍', caret: 8 });
    expect(insertAt('', '🙂', 0, 0)).toEqual({ value: '🙂', caret: 2 });
  });

  it('keeps a caret beyond the text (or reversed) inside it', () => {
    expect(insertAt('ab', '✅', 9, 9)).toEqual({ value: 'ab✅', caret: 3 });
    expect(insertAt('abc', '✅', 2, 1)).toEqual({ value: 'ab✅c', caret: 3 });
  });
});
