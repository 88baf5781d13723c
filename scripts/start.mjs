#!/usr/bin/env node
// `pnpm start`: build the widget and the admin app if their bundles are missing or older than
// their sources, then run the server in production mode (SQLite under ./data unless configured).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const apps = [
  { name: '@connectdesk/widget', src: ['widget/src', 'shared/src'], out: 'widget/dist/widget.js' },
  { name: '@connectdesk/admin', src: ['admin/src', 'shared/src'], out: 'admin/dist/index.html' },
];
for (const app of apps) {
  const out = path.join(root, app.out);
  const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
  const src = Math.max(...app.src.map((d) => newest(path.join(root, d))));
  if (built >= src) continue;
  console.log(`building ${app.name}…`);
  const r = spawnSync('pnpm', ['--filter', app.name, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
  cwd: process.cwd(),
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
