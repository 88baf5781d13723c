#!/usr/bin/env node
/**
 * Byte budgets for the widget, measured the way the server sends it (brotli q11 / gzip -9, as in
 * server/src/http/static-assets.ts). Fails the build when one is exceeded.
 *   before open:        widget.js (the loader) — everything a page pays for having the widget
 *   through first reply: loader + the UI entry + every chunk it imports statically + the largest
 *                        dictionary chunk (worst-case language)
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const DIST = path.resolve(import.meta.dirname, '../dist');
// Issue 18's targets: a page pays at most 3 KB for the widget, a visitor 25 KB through the first reply.
const BUDGET = { beforeOpen: 3 * 1024, throughFirstReply: 25 * 1024 };

const br = (buf) =>
  zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length;
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const sizes = (file) => {
  const buf = fs.readFileSync(path.join(DIST, file));
  return { raw: buf.length, br: br(buf), gzip: gz(buf) };
};
const sum = (list) => list.reduce((a, s) => ({ raw: a.raw + s.raw, br: a.br + s.br, gzip: a.gzip + s.gzip }), { raw: 0, br: 0, gzip: 0 });
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;

if (!fs.existsSync(path.join(DIST, 'widget.js'))) {
  console.error('check-size: dist/widget.js is missing — run vite build first');
  process.exit(1);
}
const loaderSrc = fs.readFileSync(path.join(DIST, 'widget.js'), 'utf8');
const entry = /widget\/\$\{?[^`]*?(app-[A-Za-z0-9_-]{8,}\.js)|(app-[A-Za-z0-9_-]{8,}\.js)/.exec(loaderSrc);
const entryFile = entry?.[1] ?? entry?.[2];
if (!entryFile || !fs.existsSync(path.join(DIST, entryFile))) {
  console.error('check-size: widget.js does not name a built UI entry chunk');
  process.exit(1);
}

/** The entry and its static imports (what arrives before the UI can render). */
const staticClosure = (file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = fs.readFileSync(path.join(DIST, file), 'utf8');
  for (const m of src.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+)["']/g)) staticClosure(m[1], seen);
  return seen;
};
const uiFiles = [...staticClosure(entryFile)];
const dictFiles = fs.readdirSync(DIST).filter((f) => /^(es|pt|bn|ar)-[A-Za-z0-9_-]{8,}\.js$/.test(f));
const largestDict = dictFiles.map((f) => ({ f, ...sizes(f) })).sort((a, b) => b.br - a.br)[0];

const loader = sizes('widget.js');
const ui = sum(uiFiles.map(sizes));
const through = sum([loader, ui, largestDict ?? { raw: 0, br: 0, gzip: 0 }]);

const rows = [
  ['widget.js (before open)', loader, BUDGET.beforeOpen],
  [`UI: ${uiFiles.join(' + ')}`, ui, null],
  [`largest dictionary: ${largestDict?.f ?? 'none'}`, largestDict ?? { raw: 0, br: 0, gzip: 0 }, null],
  ['through first reply', through, BUDGET.throughFirstReply],
];
console.log("\nConnectDesk widget sizes (bytes on the wire with the server's compression)");
for (const [name, s, budget] of rows) {
  const verdict = budget === null ? '' : s.br <= budget ? `  ✓ budget ${kb(budget)} br` : `  ✗ OVER budget ${kb(budget)} br`;
  console.log(`  ${name.padEnd(60)} br ${kb(s.br).padStart(9)}  gzip ${kb(s.gzip).padStart(9)}  raw ${kb(s.raw).padStart(9)}${verdict}`);
}
const all = fs.readdirSync(DIST).filter((f) => f.endsWith('.js'));
console.log(`  files: ${all.join(', ')}\n`);

const over = rows.filter(([, s, budget]) => budget !== null && s.br > budget);
if (over.length) {
  console.error(`check-size: ${over.map(([n]) => n).join(' and ')} over budget`);
  process.exit(1);
}
