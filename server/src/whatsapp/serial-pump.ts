/**
 * Runs a background worker's `pump` one pass at a time. A kick while a pass runs is remembered
 * and causes exactly one more pass afterwards, so work that arrives mid-pass is never missed and
 * passes never overlap. Shared by the outbox worker, the webhook processor and media downloads.
 */
export class SerialPump {
  private on = false;
  private current: Promise<void> | null = null;
  private again = false;

  constructor(private readonly pass: () => Promise<void>) {}

  get running(): boolean {
    return this.on;
  }

  /** The pass in progress, if any. */
  get inProgress(): Promise<void> | null {
    return this.current;
  }

  start(): void {
    this.on = true;
    this.kick();
  }

  kick(): void {
    if (!this.on) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.pass().finally(() => {
      this.current = null;
      if (this.again && this.on) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Run one more pass after this one (a pass that found a full batch). */
  requestAnother(): void {
    this.again = true;
  }

  /** No new passes; resolves when the current one has finished. */
  async stop(): Promise<void> {
    this.on = false;
    await this.current;
  }

  /** Resolves once no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }
}
