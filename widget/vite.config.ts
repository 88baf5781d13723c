/**
 * Builds the widget: the chat UI as hashed ES chunks (immutable, loaded on intent by dynamic
 * import — never as globals), then the loader `dist/widget.js` (classic script, short-cached).
 * `pnpm build` then runs scripts/check-size.mjs, which fails when a byte budget is exceeded.
 */
import { readFileSync } from 'node:fs';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { loaderBuild } from './build/loader-build.ts';
import { minifyEs } from './build/minify-es.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false }), minifyEs(), loaderBuild({ entry: 'src/loader/loader.ts', version: pkg.version })],
  publicDir: false,
  base: './',
  esbuild: { target: 'es2020' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    reportCompressedSize: false,
    minify: false, // minifyEs() does it, whitespace included
    lib: { entry: 'src/app/main.tsx', formats: ['es'] },
    rollupOptions: {
      // The entry may export what its lazy parts import from it (no facade chunk in front of it).
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: 'app-[hash].js',
        chunkFileNames: '[name]-[hash].js',
        // One file for the UI: what a lazy part (dictionaries, the survey) shares with it stays in
        // the entry, which they import from (the lightbox too: its code loads on the first tap of an image; the reaction
        // picker on the first tap of React; quick replies when a message offers some; a location's card when one is
        // shown), rather than in a third chunk the entry must fetch too.
        manualChunks: (id) =>
          /\/i18n\/(es|pt|bn|ar)\.ts$|\/(survey-card|lightbox|reaction-picker|quick-replies|location-card)\.tsx$|\/shared\/src\/quick-replies\.ts$/.test(id)
            ? undefined
            : 'app',
      },
    },
  },
});
