/**
 * A chart drawn with uPlot (small, fast, canvas): lines for daily series, bars for categories.
 * Colours come from CSS custom properties (`--chart-1`…, `--chart-text`, `--chart-grid`), read
 * when drawing, so light and dark themes both stay readable; the chart follows its container's
 * width (down to a 375 px phone) and redraws when the colour scheme changes. The card's table view
 * carries the same figures for screen readers.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** 1–6: which `--chart-n` colour. */
  color: number;
}

export interface ChartSpec {
  kind: 'lines' | 'bars';
  /** One label per x position (dates or category names). */
  labels: string[];
  series: ChartSeries[];
  /** How y values read on the axis and in the legend. */
  format?: (v: number) => string;
  /** Short description for assistive technology ("Opened and resolved per day"). */
  summary: string;
}

const HEIGHT = 220;

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function build(el: HTMLElement, spec: ChartSpec, width: number): uPlot {
  const text = cssVar(el, '--chart-text', '#444');
  const grid = cssVar(el, '--chart-grid', '#e3e3e3');
  const format = spec.format ?? ((v: number) => String(Math.round(v * 100) / 100));
  const n = spec.labels.length;
  const bars = spec.kind === 'bars';
  const groups = spec.series.length;
  const xs = spec.labels.map((_, i) => i);
  const labelAt = (i: number) => (Number.isInteger(i) ? (spec.labels[i] ?? '') : '');
  const opts: uPlot.Options = {
    width,
    height: HEIGHT,
    padding: [12, 12, 0, 4],
    scales: {
      x: { time: false, range: bars ? [-0.5, n - 0.5] : [0, Math.max(1, n - 1)] },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      {
        stroke: text,
        grid: { show: false },
        ticks: { stroke: grid },
        incrs: [1, 2, 3, 5, 7, 14, 30, 61, 91],
        space: 48,
        values: (_u, splits) => splits.map(labelAt),
        font: '12px system-ui, sans-serif',
      },
      {
        stroke: text,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        // Counts step in whole numbers; durations and averages as they come.
        ...(spec.format ? {} : { incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000] }),
        values: (_u, vals) => vals.map((v) => format(v)),
        size: 56,
        font: '12px system-ui, sans-serif',
      },
    ],
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    series: [
      { label: spec.kind === 'lines' ? 'Day' : 'Category', value: (_u, v) => (v === null || v === undefined ? '—' : labelAt(v)) },
      ...spec.series.map((s, i) => {
        const color = cssVar(el, `--chart-${s.color}`, '#0b57d0');
        const align = groups === 1 ? 0 : i === 0 ? -1 : 1;
        return {
          label: s.label,
          stroke: color,
          width: bars ? 0 : 2,
          fill: bars ? color : undefined,
          points: { show: !bars && n <= 45, size: 4, fill: color },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : format(v)),
          ...(bars ? { paths: uPlot.paths.bars!({ size: [groups === 1 ? 0.6 : 0.38, 48], align: align }) } : {}),
        } satisfies uPlot.Series;
      }),
    ],
  };
  return new uPlot(opts, [xs, ...spec.series.map((s) => s.values)] as uPlot.AlignedData, el);
}

export function Chart({ spec }: { spec: ChartSpec }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let plot: uPlot | null = null;
    const draw = () => {
      plot?.destroy();
      plot = build(el, spec, Math.max(260, el.clientWidth));
    };
    draw();
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(260, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', draw);
    // A theme set on <html> (data-theme) also changes the colours.
    const theme = new MutationObserver(draw);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] });
    return () => {
      resize.disconnect();
      theme.disconnect();
      scheme.removeEventListener('change', draw);
      plot?.destroy();
    };
  }, [spec]);
  return <div ref={ref} class={`chart chart-${spec.kind}`} role="img" aria-label={`${spec.summary}. The table view lists the same figures.`} />;
}
