/**
 * Vite plugin: once the chat UI is built as hashed ES chunks, build the loader (widget.js) as a
 * classic script with the UI entry's hashed file name baked in. Runs as part of `vite build`.
 */
import path from 'node:path';
import { build, type Plugin } from 'vite';

export function loaderBuild(opts: { entry: string; version: string }): Plugin {
  let appEntry: string | null = null;
  let outDir = 'dist';
  let root = process.cwd();
  return {
    name: 'connectdesk-loader-build',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = path.resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      const entries = Object.values(bundle).filter((c) => c.type === 'chunk' && c.isEntry);
      if (entries.length !== 1) this.error(`expected one UI entry chunk, found ${entries.length}`);
      appEntry = entries[0]!.fileName;
    },
    async closeBundle() {
      if (!appEntry) return;
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        define: { __APP_ENTRY__: JSON.stringify(appEntry), __VERSION__: JSON.stringify(opts.version) },
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2020',
          minify: 'esbuild',
          reportCompressedSize: false,
          lib: { entry: path.resolve(root, opts.entry), formats: ['iife'], name: 'ConnectDeskLoader', fileName: () => 'widget.js' },
        },
      });
    },
  };
}
