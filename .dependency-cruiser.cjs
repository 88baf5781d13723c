// The layering of ConnectDesk, checked by `pnpm lint` (depcruise). See issue 14 and STYLE.md's layout:
// conversations/ is the domain and knows no adapter; realtime/ and auth/ sit below http/; shared/ is
// the wire contract and depends on no app; the front ends never reach into the server; no cycles;
// production code never depends on tests or test helpers.

/** Test code and test helpers: test/, server/test-support/, unit tests, and the helper modules tests share. */
const testCode = [
  '^test/',
  '^bench/',
  '^server/test-support/',
  '[.]test[.]tsx?$',
  '^server/src/db/test-sqlite[.]ts$',
  '^shared/src/fixtures[.]ts$',
  '^admin/src/test-fixtures[.]ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-no-adapter',
      comment: 'conversations/ is the chat domain: it declares ports and imports nothing from whatsapp/, realtime/ or http/.',
      severity: 'error',
      from: { path: '^server/src/conversations/' },
      to: { path: '^server/src/(whatsapp|realtime|http)/' },
    },
    {
      name: 'realtime-and-auth-below-http',
      comment: 'realtime/ and auth/ are used by http/, never the other way round.',
      severity: 'error',
      from: { path: '^server/src/(realtime|auth)/' },
      to: { path: '^server/src/http/' },
    },
    {
      name: 'shared-is-standalone',
      comment: 'shared/ holds the wire contract and pure rules; it imports nothing from the apps.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|widget|admin|test|bench)/' },
    },
    {
      name: 'front-ends-never-import-server',
      comment: 'The widget and the admin app talk to the server over HTTP and socket.io only.',
      severity: 'error',
      from: { path: '^(widget|admin)/' },
      to: { path: '^server/' },
    },
    {
      name: 'front-ends-stay-apart',
      comment: 'The widget and the admin app share code only through shared/.',
      severity: 'error',
      from: { path: '^widget/' },
      to: { path: '^admin/' },
    },
    {
      name: 'admin-not-widget',
      comment: 'The widget and the admin app share code only through shared/.',
      severity: 'error',
      from: { path: '^admin/' },
      to: { path: '^widget/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter and modules impossible to understand alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'production-imports-no-test-code',
      comment: 'Production code never imports tests, test helpers or test frameworks.',
      severity: 'error',
      from: { path: '^(shared|server|widget|admin)/', pathNot: testCode },
      to: { path: testCode },
    },
    {
      name: 'production-imports-no-test-framework',
      comment: 'Test frameworks stay out of production code.',
      severity: 'error',
      from: { path: '^(shared|server|widget|admin)/', pathNot: testCode },
      to: { path: '(^|/)node_modules/(vitest|@vitest|happy-dom|playwright-core)/|(^|/)node_modules/preact/test-utils/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|build|out|coverage)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
