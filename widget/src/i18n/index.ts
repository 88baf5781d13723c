/** Dictionaries: English is bundled with the UI; the others are tiny chunks fetched on demand. */
import type { Lang } from '../contract.ts';
import { en, type Dict } from './en.ts';

export type { Dict };

export async function loadDict(lang: Lang): Promise<Dict> {
  switch (lang) {
    case 'es':
      return (await import('./es.ts')).dict;
    case 'pt':
      return (await import('./pt.ts')).dict;
    case 'bn':
      return (await import('./bn.ts')).dict;
    case 'ar':
      return (await import('./ar.ts')).dict;
    default:
      return en;
  }
}

export const isRtl = (lang: Lang) => lang === 'ar';

/** "{name} is typing…" with `{name}` filled in. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}
