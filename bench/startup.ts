/**
 * Start-up of the server as production runs it — the compiled bundle (server/dist/main.js, what
 * `pnpm start`, the release folder and the image run) — against the baseline of the same server
 * as TypeScript through tsx (how production ran before the compiled release): time from spawn to
 * `/healthz` answering 200 on a fresh DATA_DIR (migrations, first admin, template sync included),
 * and resident memory one second after. The two alternate, run after run; medians are reported.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchContext } from './lib/context.ts';
import { freePort } from './lib/free-port.ts';
import { REPO_ROOT, spawnNode } from './lib/node-process.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { tempDir } from './lib/server-process.ts';
import { median } from './lib/stats.ts';

const BENCH = 'startup';
const VARIANTS = { compiled: 'server/dist/main.js', tsx: 'server/src/main.ts' } as const;

interface Sample {
  readyMs: number;
  rssMb: number;
}

async function startOnce(ctx: BenchContext, variant: keyof typeof VARIANTS, run: number): Promise<Sample> {
  const port = await freePort();
  const dataDir = tempDir('connectdesk-bench-startup-');
  const t0 = performance.now();
  const proc = spawnNode({
    name: `startup-${variant}-${run}`,
    script: VARIANTS[variant],
    logDir: ctx.outDir,
    nodeArgs: variant === 'compiled' ? ['--enable-source-maps'] : [],
    env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (proc.exited()) throw new Error(`${variant} server exited during start-up; see ${proc.logFile}`);
      if (Date.now() > deadline) throw new Error(`${variant} server not ready within 90 s; see ${proc.logFile}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1000));
    return { readyMs, rssMb: (proc.rssBytes() ?? NaN) / 1024 / 1024 };
  } finally {
    await proc.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function startup(ctx: BenchContext): Promise<Figure[]> {
  if (!fs.existsSync(path.join(REPO_ROOT, VARIANTS.compiled))) {
    const build = spawnSync('pnpm', ['--filter', '@connectdesk/server', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('could not build server/dist');
  }
  const runs = ctx.quick ? 3 : 7;
  const samples: Record<keyof typeof VARIANTS, Sample[]> = { compiled: [], tsx: [] };
  for (let run = 0; run < runs; run += 1) {
    for (const variant of ['compiled', 'tsx'] as const) {
      const s = await startOnce(ctx, variant, run);
      samples[variant].push(s);
      ctx.log(`startup: ${variant} run ${run + 1}/${runs}: ready in ${s.readyMs.toFixed(0)} ms, ${s.rssMb.toFixed(0)} MB resident`);
    }
  }
  const ready = { compiled: median(samples.compiled.map((s) => s.readyMs)), tsx: median(samples.tsx.map((s) => s.readyMs)) };
  const rss = { compiled: median(samples.compiled.map((s) => s.rssMb)), tsx: median(samples.tsx.map((s) => s.rssMb)) };
  return [
    figure({
      bench: BENCH,
      name: 'time to ready, compiled (median)',
      value: ready.compiled / 1000,
      unit: 's',
      baseline: ready.tsx / 1000,
      target: '≤ tsx',
      pass: atMost(ready.compiled, ready.tsx),
      note: `baseline: tsx; ${runs} runs each`,
    }),
    figure({
      bench: BENCH,
      name: 'resident memory after start, compiled (median)',
      value: rss.compiled,
      unit: 'MB',
      baseline: rss.tsx,
      target: '≤ tsx',
      pass: atMost(rss.compiled, rss.tsx),
      note: 'baseline: tsx',
    }),
  ];
}
