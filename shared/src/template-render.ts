/**
 * Template texts use Meta's placeholders: positional `{{1}}`, `{{2}}`… or, for templates created
 * with `parameter_format: NAMED`, named ones like `{{customer_name}}` (lower case, digits, `_`).
 */
const POSITIONAL = /\{\{\s*(\d+)\s*\}\}/g;
const ANY = /\{\{\s*([a-z_][a-z0-9_]*|\d+)\s*\}\}/g;

/** Number of distinct positional parameters a template text expects. */
export function countTemplateParams(text: string | null | undefined): number {
  if (!text) return 0;
  let max = 0;
  for (const m of text.matchAll(POSITIONAL)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The named parameters of a template text, in order of first use. */
export function namedTemplateParams(text: string | null | undefined): string[] {
  if (!text) return [];
  const names: string[] = [];
  for (const m of text.matchAll(ANY)) if (!/^\d+$/.test(m[1]!) && !names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

/** Fill `{{n}}` with params[n-1] (or `{{name}}` with params[name]); missing ones stay visible. */
export function renderTemplateText(text: string, params: readonly string[] | Readonly<Record<string, string>>): string {
  return text.replace(ANY, (whole, key: string) => {
    const value: string | undefined = isList(params) ? (/^\d+$/.test(key) ? params[Number(key) - 1] : undefined) : params[key];
    return value ?? whole;
  });
}

/** Positional values (an array) rather than values by name. */
export function isList(v: readonly string[] | Readonly<Record<string, string>>): v is readonly string[] {
  return Array.isArray(v);
}
