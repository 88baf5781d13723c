// What `pnpm build` produces and from which sources: `pnpm start` rebuilds what is missing or
// older than its sources, `pnpm release --no-build` refuses to package a stale build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const BUILDS = [
  { name: '@connectdesk/widget', src: ['widget/src', 'shared/src', 'widget/build', 'widget/vite.config.ts'], out: 'widget/dist/widget.js' },
  { name: '@connectdesk/admin', src: ['admin/src', 'shared/src', 'admin/vite.config.ts', 'admin/index.html'], out: 'admin/dist/index.html' },
  { name: '@connectdesk/server', src: ['server/src', 'shared/src', 'server/build.mjs', 'server/package.json'], out: 'server/dist/main.js' },
];

/** Newest modification time of a file, or of any file below a folder (0 when missing). */
function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
  return t;
}

/** The builds whose output is missing or older than one of their sources. */
export function staleBuilds(root = ROOT) {
  return BUILDS.filter((b) => {
    const out = path.join(root, b.out);
    const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
    return built < Math.max(...b.src.map((s) => newest(path.join(root, s))));
  });
}
