import { describe, expect, it } from 'vitest';
import { AVATAR_COLORS, avatarColor, generatedVisitorName } from './visitor-names.ts';

/** WCAG relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);

// ULID-like ids, as contacts get them: neighbours share most of their characters.
const ids = Array.from({ length: 300 }, (_, i) => `01KB${String(i).padStart(4, '0')}ZZXQ3M4N5P6R7S8T9V`);

describe('generated visitor names and colours', () => {
  it('are the same every time for the same id, and look like "Amber Falcon"', () => {
    for (const id of ids.slice(0, 20)) {
      expect(generatedVisitorName(id)).toBe(generatedVisitorName(id));
      expect(generatedVisitorName(id)).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
      expect(avatarColor(id)).toBe(avatarColor(id));
      expect(AVATAR_COLORS).toContain(avatarColor(id));
    }
  });

  it('tell neighbouring ids apart', () => {
    const names = new Set(ids.map(generatedVisitorName));
    expect(names.size).toBeGreaterThan(200);
    // Five visitors in a row rarely share a name or a colour.
    const five = ids.slice(0, 5);
    expect(new Set(five.map(generatedVisitorName)).size).toBe(5);
    expect(new Set(ids.map(avatarColor)).size).toBe(AVATAR_COLORS.length);
  });

  it('keep white initials readable on every avatar colour (4.5:1)', () => {
    for (const c of AVATAR_COLORS) expect(contrastWithWhite(c), c).toBeGreaterThanOrEqual(4.5);
  });
});
