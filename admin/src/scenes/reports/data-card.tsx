/**
 * One figure of the Reports page: a heading, an optional row of headline numbers, then its chart
 * or its table (a toggle; the table is the same data, for reading exact values and for screen
 * readers) and "Download CSV" of that table.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Chart, type ChartSpec } from './chart.tsx';
import { downloadCsv, type Cell } from './csv.ts';

interface TableData {
  columns: string[];
  rows: Cell[][];
}

export interface DataCardProps {
  id: string;
  title: string;
  /** Headline figures above the chart. */
  summary?: { label: string; value: string; hint?: string }[];
  chart?: ChartSpec | null;
  table: TableData;
  /** CSV file name without extension. */
  file: string;
  children?: ComponentChildren;
}

export function DataCard({ id, title, summary, chart, table, file, children }: DataCardProps) {
  const [view, setView] = useState<'chart' | 'table'>(chart ? 'chart' : 'table');
  const showing = chart ? view : 'table';
  return (
    <section class="card report-card" aria-labelledby={`${id}-title`} data-report={id}>
      <div class="report-card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <div class="report-card-tools">
          {chart && (
            <div class="segmented" role="group" aria-label={`${title}: show as`}>
              <button type="button" aria-pressed={showing === 'chart'} onClick={() => setView('chart')}>
                Chart
              </button>
              <button type="button" aria-pressed={showing === 'table'} onClick={() => setView('table')}>
                Table
              </button>
            </div>
          )}
          <button type="button" class="btn btn-small" onClick={() => downloadCsv(`${file}.csv`, table.columns, table.rows)}>
            Download CSV<span class="visually-hidden"> of {title}</span>
          </button>
        </div>
      </div>
      {summary && summary.length > 0 && (
        <dl class="kpis">
          {summary.map((k) => (
            <div key={k.label} class="kpi">
              <dt>{k.label}</dt>
              <dd>{k.value}</dd>
              {k.hint && <dd class="kpi-hint">{k.hint}</dd>}
            </div>
          ))}
        </dl>
      )}
      {showing === 'chart' && chart ? (
        <Chart spec={chart} />
      ) : (
        <div class="table-wrap report-table" tabIndex={0} role="region" aria-label={`${title} table`}>
          <table class="table">
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {v ?? '—'}
                      </th>
                    ) : (
                      <td key={j}>{v ?? '—'}</td>
                    ),
                  )}
                </tr>
              ))}
              {table.rows.length === 0 && (
                <tr>
                  <td colSpan={table.columns.length} class="muted">
                    Nothing in this period.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {children}
    </section>
  );
}
