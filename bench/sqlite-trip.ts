/**
 * What one statement's trip to node-sqlite3 costs, and what it waits for. Every statement is handed
 * to libuv's thread pool and its answer comes back through the event loop of the thread that sent
 * it, so a busy event loop adds its own wait to every statement of a transaction. Three ways, each
 * the same empty statement on the same kind of connection, alternating, median of the rounds:
 *
 *   idle    the baseline: sent from an event loop with nothing else to do;
 *   busy    sent from a main thread whose event loop is kept full of short tasks (0.25 ms each,
 *           four queued at any time), as a server's is under load: the answer waits its turn;
 *   worker  sent from a worker thread's own event loop while the main thread is just as busy.
 *
 * In-process; figures only (no target): it explains the inbound and visitors figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BenchContext } from './lib/context.ts';
import { figure, type Figure } from './lib/report.ts';
import { timeTrips } from './lib/sqlite-trips.mjs';
import { median, summarize, type Summary } from './lib/stats.ts';

const BENCH = 'sqlite-trip';
/** Tasks that keep the main thread busy: this long each, this many queued at any time. */
const TASK_MS = 0.25;
const TASKS = 4;

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Keeps the main thread's event loop full of short tasks, as a server under load is; stop() says how busy it was. */
function busyMainThread(): { stop(): number } {
  let running = true;
  const elu0 = performance.eventLoopUtilization();
  const task = () => {
    if (!running) return;
    spin(TASK_MS);
    setImmediate(task);
  };
  for (let i = 0; i < TASKS; i++) setImmediate(task);
  return {
    stop() {
      running = false;
      return performance.eventLoopUtilization(elu0).utilization;
    },
  };
}

function inWorker(filename: string, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lib/sqlite-trips.mjs', import.meta.url), { workerData: { sqliteTrips: { filename, count } } });
    worker.once('message', (t: number[]) => {
      resolve(t);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const µs = (ms: number) => `${Math.round(ms * 1000)} µs`;
const fmt = (t: Summary) => `mean ${µs(t.mean)}, p50 ${µs(t.p50)}, p99 ${µs(t.p99)}`;

export async function sqliteTrip(ctx: BenchContext): Promise<Figure[]> {
  const count = ctx.quick ? 1_000 : 4_000;
  const rounds = ctx.quick ? 1 : 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-bench-trip-'));
  const file = (name: string) => path.join(dir, `${name}.sqlite`);
  const idle: Summary[] = [];
  const busy: Summary[] = [];
  const worker: Summary[] = [];
  const busyShare: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      idle.push(summarize(await timeTrips(file(`idle-${i}`), count)));
      let load = busyMainThread();
      try {
        busy.push(summarize(await timeTrips(file(`busy-${i}`), count)));
      } finally {
        busyShare.push(load.stop());
      }
      load = busyMainThread();
      try {
        worker.push(summarize(await inWorker(file(`worker-${i}`), count)));
      } finally {
        load.stop();
      }
      ctx.log(
        `sqlite-trip: round ${i + 1}: idle ${fmt(idle[i]!)}; busy main thread (${Math.round(busyShare[i]! * 100)} % busy) ${fmt(busy[i]!)}; worker ${fmt(worker[i]!)}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const idleMs = median(idle.map((t) => t.mean));
  const note = `${count} trips of SELECT 1 each way, median of ${rounds} alternating rounds; baseline = from an idle event loop`;
  return [
    figure({ bench: BENCH, name: 'trip from an idle event loop (mean)', value: idleMs, unit: 'ms', target: '', pass: null, note }),
    figure({
      bench: BENCH,
      name: 'trip from a busy main thread (mean)',
      value: median(busy.map((t) => t.mean)),
      unit: 'ms',
      baseline: idleMs,
      target: '',
      pass: null,
      note: `main thread ${Math.round(median(busyShare) * 100)} % busy with ${TASK_MS} ms tasks, ${TASKS} queued`,
    }),
    figure({
      bench: BENCH,
      name: 'trip from a worker thread, main thread as busy (mean)',
      value: median(worker.map((t) => t.mean)),
      unit: 'ms',
      baseline: idleMs,
      target: '',
      pass: null,
    }),
  ];
}
