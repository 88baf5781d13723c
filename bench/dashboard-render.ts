/**
 * `node --import tsx bench/dashboard-render.ts scrapes.json [out.png]`: draws the panels of
 * docs/grafana-dashboard.json — same titles, same PromQL — from the /metrics scrapes that
 * bench/dashboard-run.ts recorded, and screenshots the page with Debian's Chromium. No Grafana
 * or Prometheus is involved: each panel's query is evaluated here by a small evaluator that knows
 * exactly the forms the dashboard uses (rate, sum by, max, histogram_quantile, one division), with
 * `$__rate_interval` taken as 10 s (five 2-second scrapes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './lib/node-process.ts';

type Labels = Record<string, string>;
interface Series {
  labels: Labels;
  points: [number, number][];
}
interface Dashboard {
  title: string;
  panels: { title: string; description?: string; fieldConfig: { defaults: { unit: string } }; targets: { expr: string; legendFormat: string }[] }[];
}

const RATE_WINDOW_S = 10;
const INSTANCE = 'node-1';

// ---- the scrapes, as Prometheus would have stored them ----

function parseScrape(text: string): { name: string; labels: Labels; value: number }[] {
  const out: { name: string; labels: Labels; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Labels = { instance: INSTANCE };
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

class Store {
  private readonly series = new Map<string, Series & { name: string }>();
  readonly times: number[] = [];

  add(t: number, text: string): void {
    this.times.push(t);
    for (const s of parseScrape(text)) {
      const key = `${s.name}${JSON.stringify(s.labels)}`;
      let entry = this.series.get(key);
      if (!entry) this.series.set(key, (entry = { name: s.name, labels: s.labels, points: [] }));
      entry.points.push([t, s.value]);
    }
  }

  select(name: string, matchers: [string, string, string][]): Series[] {
    return [...this.series.values()].filter(
      (s) =>
        s.name === name &&
        matchers.every(([k, op, v]) => {
          const actual = s.labels[k] ?? '';
          if (op === '=') return actual === v;
          if (op === '!=') return actual !== v;
          if (op === '=~') return new RegExp(`^(?:${v})$`).test(actual);
          return !new RegExp(`^(?:${v})$`).test(actual);
        }),
    );
  }
}

// ---- the PromQL forms the dashboard uses ----

type Vector = Map<string, { labels: Labels; value: number }>;
type Evaluated = (t: number) => Vector;

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort());

function selector(store: Store, src: string): { name: string; matchers: [string, string, string][] } {
  const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?$/.exec(src.trim());
  if (!m) throw new Error(`unsupported selector: ${src}`);
  const matchers = [...(m[2] ?? '').matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map(([, k, op, v]) => [k!, op!, v!] as [string, string, string]);
  void store;
  return { name: m[1]!, matchers };
}

function instant(store: Store, src: string): Evaluated {
  const { name, matchers } = selector(store, src);
  const series = store.select(name, matchers);
  return (t) => {
    const v: Vector = new Map();
    for (const s of series) {
      const p = [...s.points].reverse().find(([pt]) => pt <= t);
      if (p) v.set(keyOf(s.labels), { labels: s.labels, value: p[1] });
    }
    return v;
  };
}

function rate(store: Store, src: string): Evaluated {
  const m = /^(.*)\[(\w+)\]$/.exec(src.trim());
  if (!m) throw new Error(`unsupported range: ${src}`);
  const { name, matchers } = selector(store, m[1]!);
  const series = store.select(name, matchers);
  const window = RATE_WINDOW_S * 1000;
  return (t) => {
    const v: Vector = new Map();
    for (const s of series) {
      const inside = s.points.filter(([pt]) => pt <= t && pt >= t - window - 1);
      if (inside.length < 2) continue;
      const [t0, v0] = inside[0]!;
      const [t1, v1] = inside.at(-1)!;
      v.set(keyOf(s.labels), { labels: s.labels, value: Math.max(0, v1 - v0) / ((t1 - t0) / 1000) });
    }
    return v;
  };
}

function aggregate(op: 'sum' | 'max', by: string[] | null, inner: Evaluated): Evaluated {
  return (t) => {
    const out: Vector = new Map();
    for (const { labels, value } of inner(t).values()) {
      const kept: Labels = {};
      for (const k of by ?? []) if (labels[k] !== undefined) kept[k] = labels[k]!;
      const key = keyOf(kept);
      const prev = out.get(key);
      if (!prev) out.set(key, { labels: kept, value });
      else prev.value = op === 'sum' ? prev.value + value : Math.max(prev.value, value);
    }
    return out;
  };
}

/** Prometheus's histogram_quantile: linear interpolation inside the bucket. */
function quantile(q: number, inner: Evaluated): Evaluated {
  return (t) => {
    const groups = new Map<string, { labels: Labels; buckets: [number, number][] }>();
    for (const { labels, value } of inner(t).values()) {
      const { le, ...rest } = labels;
      const key = keyOf(rest);
      const g = groups.get(key) ?? { labels: rest, buckets: [] };
      g.buckets.push([le === '+Inf' ? Infinity : Number(le), value]);
      groups.set(key, g);
    }
    const out: Vector = new Map();
    for (const [key, g] of groups) {
      const b = g.buckets.sort((x, y) => x[0] - y[0]);
      const total = b.at(-1)?.[1] ?? 0;
      if (!(total > 0)) continue;
      const rank = q * total;
      let prevLe = 0;
      let prevCount = 0;
      for (const [le, count] of b) {
        if (count >= rank) {
          const value = le === Infinity ? prevLe : prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(count - prevCount, 1e-12);
          out.set(key, { labels: g.labels, value });
          break;
        }
        prevLe = le;
        prevCount = count;
      }
    }
    return out;
  };
}

function divide(a: Evaluated, b: Evaluated): Evaluated {
  return (t) => {
    const [x, y] = [[...a(t).values()][0], [...b(t).values()][0]];
    const out: Vector = new Map();
    if (x && y && y.value > 0) out.set('{}', { labels: {}, value: x.value / y.value });
    return out;
  };
}

/** Splits `a / b` at the top level (outside parentheses). */
function topLevelDivision(expr: string): [string, string] | null {
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '/' && depth === 0) return [expr.slice(0, i), expr.slice(i + 1)];
  }
  return null;
}

function evaluate(store: Store, expr: string): Evaluated {
  const e = expr.trim().replaceAll('$__rate_interval', `${RATE_WINDOW_S}s`);
  const div = topLevelDivision(e);
  if (div) return divide(evaluate(store, div[0]), evaluate(store, div[1]));
  let m = /^histogram_quantile\(\s*([\d.]+)\s*,\s*(.*)\)$/s.exec(e);
  if (m) return quantile(Number(m[1]), evaluate(store, m[2]!));
  m = /^(sum|max)(?:\s+by\s*\(([^)]*)\))?\s*\((.*)\)$/s.exec(e);
  if (m) return aggregate(m[1] as 'sum' | 'max', m[2] ? m[2].split(',').map((s) => s.trim()) : null, evaluate(store, m[3]!));
  m = /^rate\((.*)\)$/s.exec(e);
  if (m) return rate(store, m[1]!);
  return instant(store, e);
}

// ---- drawing ----

const COLORS = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#fade2a', '#96d98d', '#ffb357', '#ca95e5', '#ff7383'];

function formatValue(v: number, unit: string): string {
  if (unit === 'percentunit') return `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
  if (unit === 'bytes') return v >= 1 << 30 ? `${(v / (1 << 30)).toFixed(1)} GiB` : `${(v / (1 << 20)).toFixed(0)} MiB`;
  if (unit === 's')
    return v === 0 ? '0' : v < 0.001 ? `${(v * 1e6).toFixed(0)} µs` : v < 1 ? `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)} ms` : `${v.toFixed(v < 10 ? 1 : 0)} s`;
  const suffix = unit === 'reqps' ? ' req/s' : '';
  return `${v >= 1000 ? `${(v / 1000).toFixed(1)}K` : v >= 10 ? v.toFixed(0) : v.toFixed(v < 1 ? 2 : 1)}${suffix}`;
}

function legendOf(format: string, labels: Labels): string {
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => labels[k] ?? '').trim() || '(value)';
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

function panelSvg(store: Store, panel: Dashboard['panels'][number], start: number): string {
  const unit = panel.fieldConfig.defaults.unit;
  const lines: { name: string; points: [number, number][] }[] = [];
  for (const target of panel.targets) {
    const evaluated = evaluate(store, target.expr);
    const byKey = new Map<string, { name: string; points: [number, number][] }>();
    for (const t of store.times) {
      for (const [key, { labels, value }] of evaluated(t)) {
        if (!Number.isFinite(value)) continue;
        let line = byKey.get(key);
        if (!line) byKey.set(key, (line = { name: legendOf(target.legendFormat, labels), points: [] }));
        line.points.push([(t - start) / 1000, value]);
      }
    }
    lines.push(...[...byKey.values()].sort((a, b) => a.name.localeCompare(b.name)));
  }
  const W = 500;
  const H = 196;
  const [L, R, T, B] = [58, 8, 8, 22];
  const maxT = (store.times.at(-1)! - start) / 1000;
  const maxV = Math.max(...lines.flatMap((l) => l.points.map(([, v]) => v)), 0) || 1;
  const x = (t: number) => L + (t / maxT) * (W - L - R);
  const y = (v: number) => T + (1 - v / (maxV * 1.08)) * (H - T - B);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = maxV * 1.08 * f;
      return `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${L - 6}" y="${y(v) + 4}" class="axis" text-anchor="end">${escapeXml(formatValue(v, unit))}</text>`;
    })
    .join('');
  const ticks = Array.from({ length: Math.floor(maxT / 20) + 1 }, (_, i) => i * 20)
    .map((t) => `<text x="${x(t)}" y="${H - 6}" class="axis" text-anchor="middle">${t}s</text>`)
    .join('');
  const shown = lines.slice(0, COLORS.length);
  const paths = shown
    .map((l, i) => {
      const d = l.points.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${COLORS[i]}" stroke-width="1.6"/>`;
    })
    .join('');
  const legend = shown.map((l, i) => `<span class="key"><i style="background:${COLORS[i]}"></i>${escapeXml(l.name)}</span>`).join('');
  return `<section class="panel"><h2>${escapeXml(panel.title)}</h2><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${grid}${ticks}${paths}</svg><div class="legend">${legend || '<span class="key">no data</span>'}</div></section>`;
}

async function main(): Promise<void> {
  const [input, output = path.join(REPO_ROOT, 'docs/img/grafana-dashboard.png')] = process.argv.slice(2);
  if (!input) throw new Error('usage: dashboard-render.ts scrapes.json [out.png]');
  const { scrapes } = JSON.parse(fs.readFileSync(input, 'utf8')) as { scrapes: { t: number; text: string }[] };
  const dashboard = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs/grafana-dashboard.json'), 'utf8')) as Dashboard;
  const store = new Store();
  for (const s of scrapes) store.add(s.t, s.text);
  const start = scrapes[0]!.t;
  const html = `<!doctype html><meta charset="utf-8"><style>
    body { margin: 0; padding: 14px; background: #111217; color: #ccccdc; font: 12px/1.4 Inter, Roboto, "DejaVu Sans", sans-serif; width: 1572px; }
    header { display: flex; justify-content: space-between; align-items: baseline; margin: 0 4px 10px; }
    header h1 { font-size: 17px; font-weight: 500; margin: 0; color: #fff; }
    header span { color: #8e8e9e; }
    main { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
    .panel { background: #181b1f; border: 1px solid #24262c; border-radius: 3px; padding: 6px 8px 6px; }
    .panel h2 { font-size: 12.5px; font-weight: 500; margin: 0 0 2px; color: #d8d9da; }
    svg { display: block; width: 100%; height: auto; }
    .grid { stroke: #2c3038; stroke-width: 1; } .axis { fill: #8e8e9e; font-size: 10px; }
    .legend { display: flex; flex-wrap: wrap; gap: 2px 12px; min-height: 16px; }
    .key { white-space: nowrap; color: #ccccdc; } .key i { display: inline-block; width: 12px; height: 3px; margin: 0 5px 3px 0; vertical-align: middle; }
  </style><header><h1>${escapeXml(dashboard.title)}</h1><span>docs/grafana-dashboard.json, panels drawn from ${scrapes.length} scrapes of /metrics during bench/dashboard-run.ts (${Math.round((scrapes.at(-1)!.t - start) / 1000)} s, one node, SQLite, sandbox) — not a Grafana screenshot</span></header>
  <main>${dashboard.panels.map((p) => panelSvg(store, p, start)).join('')}</main>`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.setContent(html);
    await page.screenshot({ path: output, fullPage: true });
  } finally {
    await browser.close();
  }
  process.stdout.write(`${output}: ${(fs.statSync(output).size / 1024).toFixed(0)} KB\n`);
}

void main();
