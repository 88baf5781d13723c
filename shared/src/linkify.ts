/**
 * Splits message text into plain text and http(s) links. Only these two schemes ever become
 * links; everything is rendered as text nodes (never HTML).
 */
export type Segment = { text: string; href?: undefined } | { text: string; href: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING = /[.,;:!?)\]}'"»”’]+$/;

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0];
    const trail = TRAILING.exec(url)?.[0] ?? '';
    // Keep a closing parenthesis that belongs to the URL, e.g. wikipedia links.
    let cut = trail.length;
    if (trail.startsWith(')') && (url.slice(0, -cut).match(/\(/g)?.length ?? 0) > (url.slice(0, -cut).match(/\)/g)?.length ?? 0)) cut -= 1;
    url = url.slice(0, url.length - cut);
    const href = safeHref(url);
    if (!href) continue;
    const start = match.index;
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ text: url, href });
    last = start + url.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
