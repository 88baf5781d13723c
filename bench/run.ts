/**
 * `pnpm bench [webhook|inbound|realtime|visitors|connections|outbound|owner|admin-api|widget|startup|reports|group-commit|sqlite-trip ...] [--quick] [--profile] [--strict]`
 * Runs the benchmarks (all by default), each against a server in its own process, and prints one
 * table: figure, value, baseline, ratio, target, result — plus the machine it ran on. Figures are
 * measured in this run; nothing is cached or assumed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminApi } from './admin-api.ts';
import { groupCommit } from './group-commit.ts';
import { idleSockets } from './idle-sockets.ts';
import { visitorSweep } from './visitor-sweep.ts';
import type { BenchContext } from './lib/context.ts';
import { machineLine, renderTable, type Figure } from './lib/report.ts';
import { outbound } from './outbound.ts';
import { ownerFlow } from './owner-flow.ts';
import { realtime } from './realtime.ts';
import { reports } from './reports.ts';
import { sqliteTrip } from './sqlite-trip.ts';
import { startup } from './startup.ts';
import { webhookIntake } from './webhook-intake.ts';
import { webhookScreen } from './webhook-screen.ts';
import { widgetSize } from './widget-size.ts';

const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<Figure[]>> = {
  webhook: webhookIntake,
  inbound: webhookScreen,
  realtime,
  connections: idleSockets,
  visitors: visitorSweep,
  outbound,
  owner: ownerFlow,
  'admin-api': adminApi,
  widget: widgetSize,
  startup,
  reports,
  'group-commit': groupCommit,
  'sqlite-trip': sqliteTrip,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const unknownFlags = [...flags].filter((f) => !['--quick', '--profile', '--strict', '--help'].includes(f));
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (flags.has('--help') || unknown.length || unknownFlags.length) {
    if (unknown.length || unknownFlags.length) process.stderr.write(`unknown: ${[...unknown, ...unknownFlags].join(' ')}\n`);
    process.stderr.write(`usage: pnpm bench [${Object.keys(BENCHMARKS).join('|')} ...] [--quick] [--profile] [--strict]\n`);
    process.exit(unknown.length || unknownFlags.length ? 2 : 0);
  }
  const selected = names.length ? names : Object.keys(BENCHMARKS);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-bench-'));
  const ctx: BenchContext = {
    quick: flags.has('--quick'),
    profile: flags.has('--profile'),
    strict: flags.has('--strict'),
    outDir,
    log: (line) => process.stdout.write(`${line}\n`),
  };
  ctx.log(machineLine());
  ctx.log(`logs and profiles: ${outDir}${ctx.quick ? '   (--quick: short runs, figures are indicative only)' : ''}`);

  const figures: Figure[] = [];
  let failedToRun = 0;
  for (const name of selected) {
    const t0 = performance.now();
    ctx.log(`\n── ${name} ──`);
    try {
      figures.push(...(await BENCHMARKS[name]!(ctx)));
    } catch (err) {
      failedToRun += 1;
      ctx.log(`${name}: could not run: ${((err as Error).stack ?? String(err)).slice(0, 3000)}`);
      figures.push({
        bench: name,
        name: 'run',
        value: null,
        unit: '',
        target: 'runs',
        pass: false,
        note: ((err as Error).message.split('\n')[0] ?? '').slice(0, 300),
      });
    }
    ctx.log(`── ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s ──`);
  }

  ctx.log('');
  ctx.log(machineLine());
  ctx.log(renderTable(figures));
  const fails = figures.filter((f) => f.pass === false).length;
  ctx.log(
    `\n${figures.filter((f) => f.pass === true).length} pass, ${fails} fail, ${figures.filter((f) => f.pass === null && f.target).length} not measured${failedToRun ? `, ${failedToRun} benchmark(s) could not run` : ''}`,
  );
  // Benchmarks print; a missed target is a finding, not an error — unless --strict asks for one.
  process.exitCode = failedToRun || (ctx.strict && fails) ? 1 : 0;
}

await main();
