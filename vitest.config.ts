import { defineConfig } from 'vitest/config';

// One run covers the whole repo: unit tests next to the code, integration and browser tests in
// test/. `pnpm test:pg` runs the database-facing suites again on PostgreSQL.
/** Suites that run on PostgreSQL under `pnpm test:pg`: one query at a time per connection. */
const onPostgres = ['test/support/one-query-per-connection.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'widget/src/**/*.test.{ts,tsx}', 'admin/src/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 20_000,
        },
        esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          setupFiles: onPostgres,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      // The compiled server, `pnpm start`, the release folder: they share server/dist, one file at a time.
      {
        test: {
          name: 'release',
          include: ['test/release/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      // PostgreSQL + Redis suites: only `pnpm test:pg` (which sets TEST_DATABASE_URL) runs them, so
      // the default `pnpm test` stays on SQLite alone.
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                name: 'pg',
                include: ['test/pg/**/*.test.ts', 'test/scale/**/*.test.ts'],
                setupFiles: onPostgres,
                testTimeout: 90_000,
                hookTimeout: 90_000,
                pool: 'forks' as const,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
