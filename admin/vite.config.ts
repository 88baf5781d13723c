/**
 * Builds the admin app to dist/: index.html, manifest and icons, plus hashed assets/ (served by the server at /admin/
 * with an SPA fallback). No inline scripts, so the admin CSP (`script-src 'self'`) holds.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false })],
  base: '/admin/',
  // public/: the web app manifest and its icons, copied as they are (stable URLs, no hashes).
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/admin/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
      '/sandbox': 'http://127.0.0.1:3000',
      '/healthz': 'http://127.0.0.1:3000',
    },
  },
});
