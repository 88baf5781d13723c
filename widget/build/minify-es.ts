/**
 * Vite's library mode leaves ES chunks unminified (it keeps whitespace for pure annotations); the
 * widget pays per byte, so minify them fully. (Library mode is used because it skips Vite's
 * module-preload helper, which would otherwise touch the host page's document and window.)
 */
import { transformWithEsbuild, type Plugin } from 'vite';

export function minifyEs(): Plugin {
  return {
    name: 'connectdesk-minify-es',
    apply: 'build',
    enforce: 'post',
    renderChunk: {
      order: 'post',
      async handler(code, chunk) {
        const out = await transformWithEsbuild(code, chunk.fileName, { minify: true, target: 'es2020', format: 'esm', legalComments: 'none', charset: 'utf8' });
        return { code: out.code, map: null };
      },
    },
  };
}
