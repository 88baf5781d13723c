// ESLint for the whole workspace: typescript-eslint's type-aware rules on every package's TypeScript
// (each file is checked against its own package's tsconfig through the TS project service),
// the recommended JS rules on the Node scripts. `pnpm lint` runs it with --max-warnings 0.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

// The sandbox harness (server/src/sandbox/harness.ts) is the tests' handle on the sandbox and answers its loose JSON.
const testFiles = ['test/**', 'bench/**', '**/*.test.ts', '**/*.test.tsx', 'server/test-support/**', 'server/src/sandbox/harness.ts'];

export default defineConfig(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'bench/out/**', 'coverage/**', 'data/**', 'test/fixtures/**'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,

  // TypeScript: type-aware rules everywhere.
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          // The root config and script files belong to no package's tsconfig.
          allowDefaultProject: ['vitest.config.ts', 'scripts/*.ts'],
          // …and are checked with the server's (Node) compiler options.
          defaultProject: 'server/tsconfig.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_`-prefixed names mark parameters and destructured leftovers that are unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Async methods that implement Promise-returning ports (hub, migration source, fakes) need no await; the promise rules below catch the real bugs.
      '@typescript-eslint/require-await': 'off',
      // Koa middleware and socket.io handlers are async functions passed where void is expected; the frameworks await them.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },

  // Koa types `next()` as Promise<any>; middleware returns it by Koa's convention.
  {
    files: ['server/src/app.ts', 'server/src/http/middleware/**', 'server/src/sandbox/sandbox.ts'],
    rules: { '@typescript-eslint/no-unsafe-return': 'off' },
  },

  // Knex returns `any` rows; the repositories assert them to row types by convention, which the rule's "type arguments may be inferred" check rejects.
  {
    files: ['server/src/db/**', 'server/src/reports/**', 'server/src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },

  // Node scripts (.mjs): plain JS, no types to check against.
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // Browser code.
  {
    files: ['widget/src/**', 'admin/src/**'],
    languageOptions: { globals: globals.browser },
  },

  // Tests, bench and test helpers work with loosely typed JSON responses and mocks on purpose; the rules
  // that only police `any` are off there. The bug finders (floating/misused promises, await-thenable…) stay on.
  {
    files: testFiles,
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off', // response bodies are `any` by design in tests
      '@typescript-eslint/no-unsafe-assignment': 'off', // same
      '@typescript-eslint/no-unsafe-call': 'off', // same
      '@typescript-eslint/no-unsafe-member-access': 'off', // same
      '@typescript-eslint/no-unsafe-return': 'off', // same
      '@typescript-eslint/no-explicit-any': 'off', // tests reach into payloads without declaring their shape
      '@typescript-eslint/no-non-null-assertion': 'off', // tests assert presence with `!` after checking it
      '@typescript-eslint/unbound-method': 'off', // expect(obj.method).toHaveBeenCalled() references methods unbound
      '@typescript-eslint/restrict-template-expressions': 'off', // failure messages print whatever value they got
      '@typescript-eslint/no-base-to-string': 'off', // same
    },
  },
);
