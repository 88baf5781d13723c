#!/usr/bin/env node
// `pnpm start`: build the widget, the admin app and the server where their output is missing or
// older than their sources, then run the compiled server (server/dist/main.js) with plain Node in
// production mode (SQLite under ./data unless configured). No TypeScript runs at run time.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, staleBuilds } from './build-state.mjs';

for (const build of staleBuilds()) {
  console.log(`building ${build.name}…`);
  const r = spawnSync('pnpm', ['--filter', build.name, 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const child = spawn(process.execPath, ['--enable-source-maps', path.join(ROOT, 'server/dist/main.js')], {
  cwd: process.cwd(),
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
