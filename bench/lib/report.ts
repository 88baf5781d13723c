/** The figures every benchmark returns, and the table `pnpm bench` prints. */
import os from 'node:os';

export interface Figure {
  /** Which benchmark measured it (webhook, realtime, outbound, admin-api, widget). */
  bench: string;
  name: string;
  /** null when it could not be measured in this run (the note says why). */
  value: number | null;
  unit: string;
  /** The same quantity for the baseline, when there is one. */
  baseline?: number | null;
  /** value / baseline, when both exist. */
  ratio?: number | null;
  /** Human-readable target, e.g. "≥ 2000/s". */
  target: string;
  /** true / false against the target; null when there is no target or no value. */
  pass: boolean | null;
  note?: string;
}

export function figure(f: Omit<Figure, 'ratio'> & { ratio?: number | null }): Figure {
  const ratio = f.ratio !== undefined ? f.ratio : f.value !== null && f.baseline ? f.value / f.baseline : null;
  return { ...f, ratio };
}

export function atMost(value: number | null, limit: number): boolean | null {
  return value === null || !Number.isFinite(value) ? null : value <= limit;
}

export function atLeast(value: number | null, limit: number): boolean | null {
  return value === null || !Number.isFinite(value) ? null : value >= limit;
}

function fmtValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const n = Number.isInteger(v) ? v.toString() : abs >= 100 ? Math.round(v).toString() : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit ? `${n} ${unit}` : n;
}

export function machineLine(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${os.platform()} ${os.arch()}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average ${load}`;
}

export function renderTable(figures: Figure[]): string {
  const head = ['benchmark', 'figure', 'value', 'baseline', 'ratio', 'target', 'result'];
  const rows = figures.map((f) => [
    f.bench,
    f.name,
    fmtValue(f.value, f.unit),
    fmtValue(f.baseline, f.unit),
    f.ratio === null || f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`,
    f.target || '—',
    f.pass === null ? (f.target ? 'n/a' : '') : f.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  const notes = figures.filter((f) => f.note).map((f) => `  * ${f.bench} / ${f.name}: ${f.note}`);
  return [line(head), sep, ...rows.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
