#!/usr/bin/env node
// Compiles the server to plain ESM JavaScript for Node 20: server/dist/{main,cli,sandbox}.js with
// source maps. Workspace code (@connectdesk/shared, the migrations) is bundled in; every package in
// this package.json's `dependencies` stays an import, resolved from node_modules at run time
// (sqlite3 and pg are native or optional drivers and must never be bundled).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const outdir = path.join(here, 'dist');

export const ENTRIES = { main: 'src/main.ts', cli: 'src/cli.ts', sandbox: 'src/sandbox/standalone.ts' };

const started = performance.now();
fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: Object.entries(ENTRIES).map(([out, src]) => ({ in: src, out })),
  outdir,
  bundle: true,
  // Shared code in chunks beside the entries (same folder depth, so paths from import.meta.url hold).
  splitting: true,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Marking a package external covers its subpaths too (knex/lib/dialects/..., pg/...).
  external: Object.keys(pkg.dependencies),
  // @connectdesk/shared's source condition is its only entry: the TypeScript files themselves.
  conditions: ['source'],
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
});
// Test helpers (server/test-support/, test/) must never end up in the production bundle.
const testCode = Object.keys(result.metafile.inputs).filter((input) => /(^|\/)(test-support|test)\//.test(input) || /\.test\.tsx?$/.test(input));
if (testCode.length > 0) {
  process.stderr.write(`server build: test code in the production bundle: ${testCode.join(', ')}\n`);
  process.exit(1);
}
const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.js'));
const bytes = files.reduce((n, f) => n + fs.statSync(path.join(outdir, f)).size, 0);
process.stdout.write(`server build: ${files.length} files, ${(bytes / 1024).toFixed(0)} KB in ${Math.round(performance.now() - started)} ms → server/dist\n`);
