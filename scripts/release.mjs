#!/usr/bin/env node
// `pnpm release [--out DIR] [--no-build]`: a self-contained folder (default ./release) that runs
// with plain `node` — the compiled server, the built widget and admin app, and the server's
// production dependencies only (no tsx, no TypeScript, no dev tools):
//
//   DIR/package.json            npm start / npm run connectdesk / npm run sandbox
//   DIR/release.json            version, commit, build time, Node version
//   DIR/server/dist/*.js        main.js (the server), cli.js, sandbox.js — ESM + source maps
//   DIR/server/node_modules/    `pnpm deploy --prod` of @connectdesk/server
//   DIR/widget/dist, DIR/admin/dist
//
// `pnpm deploy --legacy`: pnpm 10's default deploy wants `inject-workspace-packages=true` for the
// whole workspace, which would make every package see copies of its siblings instead of their live
// source during development. The server's only workspace dependency (@connectdesk/shared) is
// bundled into dist, so nothing is injected either way; the legacy deploy installs the server's
// production dependencies at the versions in pnpm-lock.yaml.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, staleBuilds } from './build-state.mjs';
import { diskMb } from './lib/probes.mjs';

/** Never in a release: they mean TypeScript or build tools leaked into production dependencies. */
const DEV_ONLY = ['tsx', 'typescript', 'esbuild', 'vite', 'vitest', '@connectdesk/shared'];

function fail(message) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
}

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'release' }, 'no-build': { type: 'boolean', default: false } },
  strict: true,
});
const out = path.resolve(values.out);
const started = Date.now();

if (fs.existsSync(out)) {
  const entries = fs.readdirSync(out);
  if (entries.length > 0 && !entries.includes('release.json')) fail(`${out} exists and is not a release folder; choose another --out`);
  fs.rmSync(out, { recursive: true, force: true });
}

if (values['no-build']) {
  const stale = staleBuilds();
  if (stale.length > 0) fail(`${stale.map((b) => b.name).join(', ')}: build missing or older than its sources; run \`pnpm build\` (or drop --no-build)`);
} else {
  run('pnpm', ['build']);
}

run('pnpm', ['--filter', '@connectdesk/server', 'deploy', '--prod', '--legacy', path.join(out, 'server')]);
for (const app of ['widget', 'admin']) fs.cpSync(path.join(ROOT, app, 'dist'), path.join(out, app, 'dist'), { recursive: true });

const modules = path.join(out, 'server/node_modules');
const store = path.join(modules, '.pnpm');

// sqlite3 compiles at install time; only the addon itself is loaded at run time.
for (const dir of fs.readdirSync(store).filter((d) => d.startsWith('sqlite3@'))) {
  const pkg = path.join(store, dir, 'node_modules/sqlite3');
  const addon = path.join(pkg, 'build/Release/node_sqlite3.node');
  if (!fs.existsSync(addon)) fail(`sqlite3 was not compiled (${addon} is missing): check that \`pnpm install\` may build sqlite3`);
  for (const leftover of [
    'deps',
    'src',
    'build/Release/obj',
    'build/Release/obj.target',
    'build/Release/.deps',
    'build/Release/sqlite3.a',
    'build/Release/nothing.a',
  ]) {
    fs.rmSync(path.join(pkg, leftover), { recursive: true, force: true });
  }
}

const leaked = DEV_ONLY.filter(
  (name) => fs.existsSync(path.join(modules, name)) || fs.readdirSync(store).some((d) => d.startsWith(`${name.replace('/', '+')}@`)),
);
if (leaked.length > 0) fail(`development packages in the production dependencies: ${leaked.join(', ')}`);
const sources = fs.readdirSync(path.join(out, 'server/dist')).filter((f) => !/\.js(\.map)?$/.test(f));
if (sources.length > 0) fail(`server/dist holds files that are not compiled JavaScript: ${sources.join(', ')}`);

// The server's package.json as installed: exact versions, no scripts or dev dependencies.
const serverPkg = JSON.parse(fs.readFileSync(path.join(out, 'server/package.json'), 'utf8'));
const installed = (name) => JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version;
fs.writeFileSync(
  path.join(out, 'server/package.json'),
  JSON.stringify(
    {
      name: serverPkg.name,
      version: serverPkg.version,
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(Object.keys(serverPkg.dependencies).map((name) => [name, installed(name)])),
    },
    null,
    2,
  ) + '\n',
);

const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const node = 'node --enable-source-maps';
fs.writeFileSync(
  path.join(out, 'package.json'),
  JSON.stringify(
    {
      name: 'connectdesk-release',
      version: serverPkg.version,
      private: true,
      description: 'ConnectDesk, compiled: run with Node 20 (npm start), no build step',
      type: 'module',
      engines: rootPkg.engines,
      scripts: {
        start: `NODE_ENV=\${NODE_ENV:-production} ${node} server/dist/main.js`,
        connectdesk: `${node} server/dist/cli.js`,
        sandbox: `${node} server/dist/sandbox.js`,
      },
    },
    null,
    2,
  ) + '\n',
);
const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
fs.writeFileSync(
  path.join(out, 'release.json'),
  JSON.stringify(
    {
      name: 'connectdesk',
      version: serverPkg.version,
      commit: commit.status === 0 ? commit.stdout.trim() : null,
      built_at: new Date().toISOString(),
      node: process.version,
    },
    null,
    2,
  ) + '\n',
);

process.stdout.write(
  `release: ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s — ` +
    `${diskMb(out).toFixed(1)} MB on disk (node_modules ${diskMb(modules).toFixed(1)} MB); run it with: cd ${values.out} && npm start\n`,
);
