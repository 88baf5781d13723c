/**
 * Runs a recompute-and-push task soon after something changed, once for a burst of changes: the
 * first trigger schedules a run `delayMs` later, triggers meanwhile join it, and a trigger during
 * a run schedules exactly one more run after it (so the last change is always pushed).
 */
export interface Coalesced {
  trigger(): void;
  /** Waits for a run in progress; no run starts afterwards. */
  stop(): Promise<void>;
}

export function coalesce(task: () => Promise<void>, delayMs: number, onError: (err: unknown) => void): Coalesced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const run = () => {
    timer = undefined;
    running = task()
      .catch(onError)
      .then(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = () => {
    if (timer || stopped) return;
    timer = setTimeout(run, delayMs);
    timer.unref?.();
  };

  return {
    trigger() {
      if (stopped) return;
      if (running) again = true;
      else schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
