/**
 * Widget bytes on the wire, read from a running server the way a browser gets them: `/widget.js`
 * and the chunks it loads, fetched with `Accept-Encoding: br` (and gzip), counting the compressed
 * body bytes the server sends. "Before open" is the loader; "through first reply" adds the UI
 * entry, every chunk it imports statically and the largest chunk it imports on demand (the worst
 * case language dictionary) — the same split as widget/scripts/check-size.mjs.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import type { BenchContext } from './lib/context.ts';
import { atMost, figure, type Figure } from './lib/report.ts';
import { startServer } from './lib/server-process.ts';

const BENCH = 'widget';
/** Issue 18's budgets (the first round's were 5 and 35 KB). */
const BEFORE_OPEN_BUDGET = 3 * 1024;
const FIRST_REPLY_BUDGET = 25 * 1024;

interface Fetched {
  status: number;
  encoding: string;
  /** Body bytes as sent (compressed). */
  wire: number;
  text: string;
}

function get(url: string, acceptEncoding: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = String(res.headers['content-encoding'] ?? 'identity');
        const plain = encoding === 'br' ? zlib.brotliDecompressSync(raw) : encoding === 'gzip' ? zlib.gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, encoding, wire: raw.length, text: plain.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

/** Static imports (`import ... from "./x.js"`, `import "./x.js"`) and dynamic ones (`import("./x.js")`). */
function importsOf(src: string): { statics: string[]; dynamics: string[] } {
  const statics = [...src.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+)["']/g)].map((m) => m[1]!);
  const dynamics = [...src.matchAll(/import\(\s*["']\.\/([^"']+)["']\s*\)/g)].map((m) => m[1]!);
  return { statics, dynamics };
}

export async function widgetSize(ctx: BenchContext): Promise<Figure[]> {
  const server = await startServer({ name: 'widget-server', logDir: ctx.outDir });
  try {
    const figures: Figure[] = [];
    const totals: Record<'br' | 'gzip', { before: number; through: number }> = { br: { before: 0, through: 0 }, gzip: { before: 0, through: 0 } };
    let files: string[] = [];
    for (const enc of ['br', 'gzip'] as const) {
      const loader = await get(`${server.url}/widget.js`, enc);
      if (loader.status !== 200) throw new Error(`GET /widget.js → ${loader.status}: ${loader.text.slice(0, 120)}`);
      if (loader.encoding !== enc) ctx.log(`widget: /widget.js came back as ${loader.encoding}, asked for ${enc}`);
      const entry = /app-[A-Za-z0-9_-]{8,}\.js/.exec(loader.text)?.[0];
      if (!entry) throw new Error('widget.js names no UI entry chunk (app-<hash>.js)');

      const seen = new Map<string, Fetched>();
      const dynamic = new Set<string>();
      const visit = async (file: string): Promise<void> => {
        if (seen.has(file)) return;
        const r = await get(`${server.url}/widget/${file}`, enc);
        if (r.status !== 200) throw new Error(`GET /widget/${file} → ${r.status}`);
        seen.set(file, r);
        const { statics, dynamics } = importsOf(r.text);
        for (const d of dynamics) dynamic.add(d);
        for (const s of statics) await visit(s);
      };
      await visit(entry);
      let largestDynamic: { file: string; wire: number } | null = null;
      for (const d of dynamic) {
        if (seen.has(d)) continue;
        const r = await get(`${server.url}/widget/${d}`, enc);
        if (r.status === 200 && (!largestDynamic || r.wire > largestDynamic.wire)) largestDynamic = { file: d, wire: r.wire };
      }
      const ui = [...seen.values()].reduce((a, r) => a + r.wire, 0);
      totals[enc] = { before: loader.wire, through: loader.wire + ui + (largestDynamic?.wire ?? 0) };
      files = ['widget.js', ...seen.keys(), ...(largestDynamic ? [`${largestDynamic.file} (largest on-demand chunk)`] : [])];
      ctx.log(
        `widget (${enc}): widget.js ${loader.wire} B; UI ${[...seen.keys()].join(' + ')} ${ui} B; largest on-demand ${largestDynamic?.file ?? 'none'} ${largestDynamic?.wire ?? 0} B`,
      );
    }
    figures.push(
      figure({
        bench: BENCH,
        name: 'before open (widget.js, brotli)',
        value: totals.br.before / 1024,
        unit: 'KB',
        baseline: BEFORE_OPEN_BUDGET / 1024,
        target: '≤ 3 KB',
        pass: atMost(totals.br.before, BEFORE_OPEN_BUDGET),
        note: `gzip ${(totals.gzip.before / 1024).toFixed(2)} KB; baseline = the budget; response bodies as served, headers not counted`,
      }),
      figure({
        bench: BENCH,
        name: 'through first reply (brotli)',
        value: totals.br.through / 1024,
        unit: 'KB',
        baseline: FIRST_REPLY_BUDGET / 1024,
        target: '≤ 25 KB',
        pass: atMost(totals.br.through, FIRST_REPLY_BUDGET),
        note: `gzip ${(totals.gzip.through / 1024).toFixed(2)} KB; ${files.join(', ')}`,
      }),
    );
    return figures;
  } finally {
    await server.stop();
  }
}
