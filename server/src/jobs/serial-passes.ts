/**
 * Runs a background worker's pass one at a time. A request that comes while a pass runs is
 * remembered and causes exactly one more pass afterwards, so work that arrives mid-pass is never
 * missed and passes never overlap. Used by the job runner (outbox, webhook applying, media
 * downloads) and the owner dispatcher.
 */
export class SerialPasses {
  private started = false;
  private current: Promise<void> | null = null;
  private another = false;

  constructor(private readonly pass: () => Promise<void>) {}

  get running(): boolean {
    return this.started;
  }

  /** The pass in progress, if any. */
  get inProgress(): Promise<void> | null {
    return this.current;
  }

  start(): void {
    this.started = true;
    this.request();
  }

  /** Run a pass now, or once more after the one in progress. */
  request(): void {
    if (!this.started) return;
    if (this.current) {
      this.another = true;
      return;
    }
    this.current = this.pass().finally(() => {
      this.current = null;
      if (this.another && this.started) {
        this.another = false;
        this.request();
      }
    });
  }

  /** Another pass will follow the one in progress. */
  get anotherRequested(): boolean {
    return this.another;
  }

  /** Run one more pass after this one (a pass that found a full batch). */
  requestAnother(): void {
    this.another = true;
  }

  /** No new passes; resolves when the current one has finished. */
  async stop(): Promise<void> {
    this.started = false;
    await this.current;
  }

  /** Resolves once no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }
}
