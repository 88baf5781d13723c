/** What run.ts hands every benchmark. */
export interface BenchContext {
  /** Short runs for building and debugging the harness; the figures are not the real ones. */
  quick: boolean;
  /** Run the server under --cpu-prof (webhook, inbound and visitors benchmarks) and summarise the profile. */
  profile: boolean;
  /** Exit non-zero when a target is missed (default: only when a benchmark cannot run). */
  strict: boolean;
  /** Where logs, CPU profiles and the seeded database go for this run. */
  outDir: string;
  log(line: string): void;
}
