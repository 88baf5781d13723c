/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per package,
 * so "where does the server spend its CPU under load" is a table, not a flame graph.
 */
import fs from 'node:fs';
import { REPO_ROOT } from './node-process.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTimeRow {
  name: string;
  where: string;
  ms: number;
  share: number;
}

function shortUrl(url: string): string {
  if (!url) return '';
  let u = url.replace(/^file:\/\//, '');
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.*)$/.exec(u);
  if (pnpm) return pnpm[1]!;
  if (u.startsWith(REPO_ROOT + '/')) u = u.slice(REPO_ROOT.length + 1);
  return u;
}

/** The package (or repo folder, or node: internals) a script belongs to. */
function packageOf(url: string): string {
  const u = shortUrl(url);
  if (!u) return '(native / GC / idle)';
  if (u.startsWith('node:')) return 'node internals';
  const scoped = /^(@[^/]+\/[^/]+)\//.exec(u);
  if (scoped && !u.startsWith('@connectdesk')) return scoped[1]!;
  if (/^(server|shared|widget|admin|bench)\//.test(u)) return u.split('/').slice(0, 3).join('/');
  return u.split('/')[0]!;
}

/** Microseconds on the monotonic clock V8 stamps profiles with (the same one as process.hrtime). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Self time per function and per package. With `window` (monotonic µs, see monotonicUs()), only
 * the samples taken inside it count — e.g. just the load, not start-up or the drain afterwards.
 */
export function summariseProfile(
  file: string,
  top = 15,
  window?: { fromUs: number; toUs: number },
): { totalMs: number; functions: SelfTimeRow[]; packages: SelfTimeRow[] } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, SelfTimeRow>();
  const pkg = new Map<string, SelfTimeRow>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const row = fn.get(key) ?? { name, where, ms: 0, share: 0 };
    row.ms += us / 1000;
    fn.set(key, row);
    const p = ['(idle)', '(program)', '(garbage collector)'].includes(name) ? name : packageOf(url);
    const prow = pkg.get(p) ?? { name: p, where: '', ms: 0, share: 0 };
    prow.ms += us / 1000;
    pkg.set(p, prow);
  }
  const finish = (rows: Iterable<SelfTimeRow>) =>
    [...rows]
      .map((r) => ({ ...r, share: totalUs ? (r.ms * 1000) / totalUs : 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return { totalMs: totalUs / 1000, functions: finish(fn.values()), packages: finish(pkg.values()) };
}

export function renderProfile(s: ReturnType<typeof summariseProfile>, title = 'CPU profile'): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [`${title}: ${(s.totalMs / 1000).toFixed(1)} s sampled`, '', 'self time by package:'];
  for (const r of s.packages) lines.push(`  ${pct(r.share)}  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`);
  lines.push('', 'top functions by self time:');
  for (const r of s.functions) lines.push(`  ${pct(r.share)}  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}  ${r.where}`);
  return lines.join('\n');
}

/**
 * The main thread's profile in a folder: --cpu-prof writes one file per thread
 * (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile) and tsx's loader runs on a worker thread.
 */
export function mainThreadProfile(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))
    .map((f) => ({ f: `${dir}/${f}`, t: fs.statSync(`${dir}/${f}`).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  return files[0]?.f ?? null;
}

/** Prints the main-thread profile summary of a server run (whole run, or a window of it). */
export function logProfile(log: (line: string) => void, dir: string, title: string, window?: { fromUs: number; toUs: number }): void {
  const file = mainThreadProfile(dir);
  if (!file) {
    log(`${title}: no CPU profile was written (did the server exit cleanly?)`);
    return;
  }
  log(`\n${renderProfile(summariseProfile(file, 20, window), title)}\n(profile: ${file})\n`);
}
