/**
 * Serves a built front end (widget/dist, admin/dist) from memory, compressed once at start with
 * brotli and gzip. Hashed files are immutable; entry files (loader, index.html) are short-cached
 * and revalidated by ETag.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Context } from 'koa';

interface Asset {
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  type: string;
  etag: string;
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.mp3': 'audio/mpeg',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.json', '.svg', '.map', '.webmanifest']);
/** Vite's content hashes: name-<8+ base64url chars>.ext */
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export class StaticAssets {
  private readonly assets = new Map<string, Asset>();

  private constructor(readonly root: string) {}

  /** Loads every file below `root` (empty when the folder does not exist yet). */
  static load(root: string): StaticAssets {
    const s = new StaticAssets(root);
    if (fs.existsSync(root)) s.walk(root);
    return s;
  }

  get size(): number {
    return this.assets.size;
  }

  has(rel: string): boolean {
    return this.assets.has(rel);
  }

  private walk(dir: string): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) this.walk(full);
      else if (entry.isFile()) this.add(path.relative(this.root, full).split(path.sep).join('/'), fs.readFileSync(full));
    }
  }

  add(rel: string, body: Buffer, opts: { immutable?: boolean } = {}): void {
    const ext = path.extname(rel);
    const compress = COMPRESSIBLE.has(ext) && body.length > 256;
    this.assets.set(rel, {
      body,
      br: compress
        ? zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : null,
      gzip: compress ? zlib.gzipSync(body, { level: 9 }) : null,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`,
      immutable: opts.immutable ?? HASHED.test(rel),
    });
  }

  /** Bytes a client would receive for `rel` with this Accept-Encoding (for size budgets). */
  transferSize(rel: string, encoding: 'br' | 'gzip' | 'identity' = 'br'): number | null {
    const a = this.assets.get(rel);
    if (!a) return null;
    return (encoding === 'br' ? a.br : encoding === 'gzip' ? a.gzip : null)?.length ?? a.body.length;
  }

  /** Answers the request from `rel`; returns false when there is no such file. */
  serve(ctx: Context, rel: string, opts: { maxAge?: number } = {}): boolean {
    const a = this.assets.get(rel);
    if (!a) return false;
    ctx.set('ETag', a.etag);
    ctx.set('Vary', 'Accept-Encoding');
    ctx.set('Cache-Control', a.immutable ? 'public, max-age=31536000, immutable' : `public, max-age=${opts.maxAge ?? 300}, must-revalidate`);
    ctx.type = a.type;
    if (ctx.get('if-none-match') === a.etag) {
      ctx.status = 304;
      return true;
    }
    const accepts = ctx.acceptsEncodings('br', 'gzip', 'identity');
    ctx.status = 200;
    if (accepts === 'br' && a.br) {
      ctx.set('Content-Encoding', 'br');
      ctx.body = a.br;
    } else if (accepts === 'gzip' && a.gzip) {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = a.gzip;
    } else {
      ctx.body = a.body;
    }
    return true;
  }
}
