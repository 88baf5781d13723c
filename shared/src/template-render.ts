/** Template bodies use positional placeholders {{1}}, {{2}}, ... (Meta's format). */
const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** Number of distinct positional parameters a template text expects. */
export function countTemplateParams(text: string | null | undefined): number {
  if (!text) return 0;
  let max = 0;
  for (const m of text.matchAll(PLACEHOLDER)) max = Math.max(max, Number(m[1]));
  return max;
}

/** Fill {{n}} with params[n-1]; missing params stay visible as {{n}}. */
export function renderTemplateText(text: string, params: readonly string[]): string {
  return text.replace(PLACEHOLDER, (whole, n: string) => params[Number(n) - 1] ?? whole);
}
