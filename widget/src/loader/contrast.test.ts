import { describe, expect, it } from 'vitest';
import { accentOn, contrastRatio, DARK_TEXT, LIGHT_TEXT, textColorOn } from './contrast.ts';

describe('brand colour contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
  });

  it('picks the text colour that reaches AA on the brand colour', () => {
    for (const brand of ['#0b57d0', '#ffd60a', '#25d366', '#7c3aed', '#111111', '#f5f5f5', '#ff0000', '#00aaff', '#e06666', '#808080', '#3a8fd6']) {
      const text = textColorOn(brand);
      expect([LIGHT_TEXT, DARK_TEXT, '#000000']).toContain(text);
      expect(contrastRatio(brand, text), brand).toBeGreaterThanOrEqual(4.5);
    }
    expect(textColorOn('#0b57d0')).toBe(LIGHT_TEXT);
    expect(textColorOn('#ffd60a')).toBe(DARK_TEXT);
  });

  it('falls back to a dark accent when the brand colour would vanish on white', () => {
    expect(accentOn('#0b57d0', '#ffffff')).toBe('#0b57d0');
    expect(accentOn('#ffd60a', '#ffffff')).toBe(DARK_TEXT);
  });
});
