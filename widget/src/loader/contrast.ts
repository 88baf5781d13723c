/** WCAG 2 contrast: picks the text colour (white or near-black) that reads best on a brand colour. */

function channel(v: number): number {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const LIGHT_TEXT = '#ffffff';
export const DARK_TEXT = '#111827';

/** White when it reaches AA (4.5:1), else near-black, else black (one of white/black always does). */
export function textColorOn(background: string): string {
  if (contrastRatio(background, LIGHT_TEXT) >= 4.5) return LIGHT_TEXT;
  if (contrastRatio(background, DARK_TEXT) >= 4.5) return DARK_TEXT;
  return contrastRatio(background, LIGHT_TEXT) > contrastRatio(background, '#000000') ? LIGHT_TEXT : '#000000';
}

/** The brand colour where it stands out from `background` (3:1 for focus rings and controls), else dark text. */
export function accentOn(brand: string, background: string): string {
  return contrastRatio(brand, background) >= 3 ? brand : DARK_TEXT;
}
