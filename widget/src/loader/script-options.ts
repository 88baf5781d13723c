/** Reads the install snippet: the server URL from the script's own src, options from data-*. */
import type { Lang } from '../contract.ts';

export interface ScriptOptions {
  base: string;
  siteKey: string | null;
  position: 'left' | 'right' | null;
  color: string | null;
  greeting: string | null;
  lang: string | null;
}

const LANGS: readonly Lang[] = ['en', 'es', 'pt', 'bn', 'ar'];

/** The loader's own <script> element (document.currentScript only exists while it first runs). */
export function findScript(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const all = doc.querySelectorAll<HTMLScriptElement>('script[src]');
  for (let i = all.length - 1; i >= 0; i--) if (/\/widget\.js(\?|#|$)/.test(all[i]!.src)) return all[i]!;
  return null;
}

/** "https://desk.example.com/widget.js?v=2" → "https://desk.example.com" (keeps a path prefix). */
export function baseFromSrc(src: string): string {
  const u = new URL(src);
  return u.origin + u.pathname.replace(/\/widget\.js$/, '').replace(/\/$/, '');
}

export function readScriptOptions(script: HTMLScriptElement): ScriptOptions {
  const d = script.dataset;
  const position = d.position === 'left' || d.position === 'right' ? d.position : null;
  const color = d.color && /^#[0-9a-fA-F]{6}$/.test(d.color) ? d.color : null;
  return {
    base: baseFromSrc(script.src),
    siteKey: d.siteKey || null,
    position,
    color,
    greeting: d.greeting ? d.greeting.slice(0, 300) : null,
    lang: d.lang || null,
  };
}

/** data-lang first, then the browser's languages; English when nothing matches. */
export function pickLang(explicit: string | null, browser: readonly string[]): Lang {
  for (const tag of [explicit, ...browser]) {
    const base = tag?.toLowerCase().split(/[-_]/)[0];
    const found = LANGS.find((l) => l === base);
    if (found) return found;
  }
  return 'en';
}
