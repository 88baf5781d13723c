/**
 * `pnpm release` assembles a folder that runs with plain node and production dependencies only,
 * and scripts/check-release.mjs (CI runs it on a release built from the clean clone) proves it:
 * started as an unprivileged user when run as root, healthy, serving widget, admin and signed
 * webhooks, stopping with exit 0, backing up and restoring. The check must also fail when the
 * folder is wrong, or it proves nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/node-process.ts';

let work: string;
let release: string;

function node(script: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  for (const built of ['widget/dist/widget.js', 'admin/dist/index.html']) {
    if (!fs.existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`pnpm build\` before the tests`);
  }
  const build = spawnSync('pnpm', ['--filter', '@connectdesk/server', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`server build failed: ${build.stdout}${build.stderr}`);
  // Outside the repository, so no node_modules above it; readable by the check's unprivileged user.
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'connectdesk-release-'));
  fs.chmodSync(work, 0o755);
  release = path.join(work, 'release');
  const made = node('scripts/release.mjs', ['--no-build', '--out', release]);
  if (made.status !== 0) throw new Error(`pnpm release failed:\n${made.output}`);
}, 180_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('pnpm release', () => {
  it('assembles the compiled server, widget and admin with production dependencies only', () => {
    expect(fs.readdirSync(path.join(release, 'server/dist')).filter((f) => f.endsWith('.js'))).toEqual(
      expect.arrayContaining(['main.js', 'cli.js', 'sandbox.js']),
    );
    expect(fs.readdirSync(path.join(release, 'server/dist')).every((f) => /\.js(\.map)?$/.test(f))).toBe(true);
    expect(fs.existsSync(path.join(release, 'widget/dist/widget.js'))).toBe(true);
    expect(fs.existsSync(path.join(release, 'admin/dist/index.html'))).toBe(true);
    const modules = path.join(release, 'server/node_modules');
    for (const dep of ['koa', 'knex', 'sqlite3', 'pg', 'socket.io', 'pino-pretty', 'tar']) expect(fs.existsSync(path.join(modules, dep))).toBe(true);
    const store = fs.readdirSync(path.join(modules, '.pnpm'));
    for (const dev of ['tsx@', 'typescript@', 'esbuild@', 'vite@', 'vitest@', '@connectdesk+shared'])
      expect(store.filter((d) => d.startsWith(dev))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(release, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toContain('node --enable-source-maps server/dist/main.js');
    expect(JSON.stringify(pkg)).not.toContain('tsx');
    const server = JSON.parse(fs.readFileSync(path.join(release, 'server/package.json'), 'utf8'));
    expect(server.devDependencies).toBeUndefined();
    expect(Object.values(server.dependencies).every((v) => /^\d+\.\d+\.\d+/.test(String(v)))).toBe(true);
  });

  it('passes the release check: plain node, unprivileged, healthy, widget, admin, signed webhook, backup and restore', () => {
    const { status, output } = node('scripts/check-release.mjs', [release]);
    expect(output).not.toContain('FAIL');
    expect(output).toMatch(/^ok {3}serves the widget/m);
    expect(output).toMatch(/^ok {3}serves the admin app/m);
    expect(output).toMatch(/^ok {3}accepts a signed webhook/m);
    expect(output).toMatch(/^ok {3}SIGTERM stops it with exit code 0/m);
    expect(output).toMatch(/^ok {3}restores the backup/m);
    // The configuration rules hold in the compiled server, and DATA_DIR is made private.
    expect(output).toMatch(/^ok {3}refuses production at a public URL without a Meta token/m);
    expect(output).toMatch(/^ok {3}refuses weak live-mode secrets/m);
    expect(output).toMatch(/^ok {3}refuses a proxy list that TRUST_PROXY contradicts/m);
    expect(output).toMatch(/^ok {3}made DATA_DIR and its database private/m);
    expect(output).toMatch(/^ok {3}the compiled CLI makes an API token/m);
    expect(output).toMatch(/^release-check: \d+ passed, 0 failed$/m);
    expect(status).toBe(0);
  });

  it('the check fails a folder with dev tools in it or without the widget', () => {
    fs.mkdirSync(path.join(release, 'server/node_modules/tsx'));
    fs.writeFileSync(path.join(release, 'server/node_modules/tsx/package.json'), '{"name":"tsx","version":"0.0.0"}');
    fs.rmSync(path.join(release, 'widget/dist/widget.js'));
    const { status, output } = node('scripts/check-release.mjs', [release]);
    expect(output).toMatch(/^FAIL production dependencies only.*found tsx/m);
    expect(output).toMatch(/^FAIL the folder holds the compiled entries.*widget\/dist\/widget\.js is missing/m);
    expect(output).toMatch(/^FAIL serves the widget/m);
    expect(output).toMatch(/^release-check: \d+ passed, [1-9]\d* failed$/m);
    expect(status).toBe(1);
  });

  it('refuses to replace a folder that is not a release', () => {
    const other = path.join(work, 'not-a-release');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'keep.txt'), 'mine');
    const { status, output } = node('scripts/release.mjs', ['--no-build', '--out', other]);
    expect(status).toBe(1);
    expect(output).toContain('is not a release folder');
    expect(fs.readFileSync(path.join(other, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
