/**
 * Setup for the suites `pnpm test:pg` runs on PostgreSQL (on SQLite it never fires): node-postgres
 * handed a query while another runs on the same connection (deprecated, gone in pg 9 —
 * db/together.ts sends such statements one after another there) fails the run instead of printing
 * a warning once per process.
 */
const GUARD = Symbol.for('connectdesk.one-query-per-connection');
const proc = process as NodeJS.Process & { [GUARD]?: true };

if (!proc[GUARD]) {
  proc[GUARD] = true;
  process.on('warning', (warning) => {
    if (warning.message.includes('already executing a query')) {
      throw new Error(`node-postgres was handed a query while another ran on its connection:\n${warning.stack ?? warning.message}`);
    }
  });
}
