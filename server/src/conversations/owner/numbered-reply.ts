/**
 * Reading what the owner typed: commands (`#list`, `#mute 1h`, `#unmute`, `#help`) and replies
 * that start with line numbers of a digest or list — "2 yes", "2) yes", "#2: yes", and several at
 * once: "2 yes, 4 left" (a number counts only right after the start, a comma, a semicolon or a
 * new line, and only if that line exists, so "1 yes, we have 3 left" stays one answer).
 */

export type OwnerCommand = { kind: 'list' } | { kind: 'mute'; ms: number | null } | { kind: 'unmute' } | { kind: 'help' } | { kind: 'unknown'; word: string };

const MAX_MUTE_MS = 7 * 24 * 60 * 60 * 1000;
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `2h`, `1d`, `90 min`, `1 hour`; empty → one hour; null when unreadable or over 7 days. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (!t) return UNITS.h!;
  const m = /^(\d{1,4})\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)?$/.exec(t);
  if (!m) return null;
  const ms = Number(m[1]) * UNITS[(m[2] ?? 'm')[0]!]!;
  return ms > 0 && ms <= MAX_MUTE_MS ? ms : null;
}

/** A command, or null when the text is not one (it does not start with `#` and a letter). */
export function parseCommand(text: string): OwnerCommand | null {
  const m = /^\s*#([a-z]+)\b\s*(.*)$/is.exec(text);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  const rest = m[2]!.trim();
  switch (word) {
    case 'list':
      return { kind: 'list' };
    case 'mute':
      return { kind: 'mute', ms: parseDuration(rest) };
    case 'unmute':
      return { kind: 'unmute' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', word };
  }
}

export interface NumberedPart {
  n: number;
  text: string;
}

const MARKER = /(^|[,;\n])[ \t]*#?(\d{1,3})(?:[ \t]*[).:-][ \t]*|[ \t]+)(?=\S)/g;

/**
 * The parts of a numbered reply, in order; null when the text does not start with the number of
 * one of `lines`. Parts with the same number stay separate (two messages to that visitor).
 */
export function parseNumbered(text: string, lines: ReadonlySet<number>): NumberedPart[] | null {
  const marks: { n: number; start: number; end: number }[] = [];
  for (const m of text.matchAll(MARKER)) {
    const n = Number(m[2]);
    if (!lines.has(n)) continue;
    marks.push({ n, start: m.index + m[1]!.length, end: m.index + m[0].length });
  }
  if (!marks.length || text.slice(0, marks[0]!.start).trim() !== '') return null;
  const parts: NumberedPart[] = [];
  marks.forEach((mark, i) => {
    const until = i + 1 < marks.length ? marks[i + 1]!.start - 1 : text.length;
    const body = text.slice(mark.end, until).trim().replace(/[,;]$/, '').trim();
    if (body) parts.push({ n: mark.n, text: body });
  });
  return parts.length ? parts : null;
}
