#!/usr/bin/env node
// `pnpm dev`: the server restarted on change (tsx watch) and both front ends rebuilt on change.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const procs = [
  spawn('pnpm', ['--filter', '@connectdesk/widget', 'exec', 'vite', 'build', '--watch'], { cwd: root, stdio: 'inherit' }),
  spawn('pnpm', ['--filter', '@connectdesk/admin', 'exec', 'vite', 'build', '--watch'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { LOG_LEVEL: 'debug', ...process.env },
  }),
];
const stop = () => procs.forEach((p) => p.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
