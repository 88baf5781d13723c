/**
 * Coalesces a visitor's typing signals before they fan out to every agent: at most one "on" per
 * visitor per `gapMs` (an "on" inside the gap after an "off" is sent when the gap ends, if the
 * visitor is still typing), and an "off" only after an "on" went out. Per process; an entry goes
 * once its visitor stopped typing (call `signal(id, false)` when a visitor's socket leaves).
 */
interface VisitorTyping {
  /** What the agents were last told. */
  shownOn: boolean;
  lastOnAt: number;
  trailing: ReturnType<typeof setTimeout> | null;
}

export class TypingThrottle {
  private readonly visitors = new Map<string, VisitorTyping>();

  constructor(
    private readonly gapMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a signal from `visitorId`; `send` runs for the signals that reach the agents. */
  signal(visitorId: string, on: boolean, send: (on: boolean) => void): void {
    const t = this.now();
    const v = this.visitors.get(visitorId);
    if (on) {
      if (!v) {
        this.visitors.set(visitorId, { shownOn: true, lastOnAt: t, trailing: null });
        send(true);
        return;
      }
      if (v.shownOn || v.trailing) return;
      const wait = v.lastOnAt + this.gapMs - t;
      if (wait <= 0) {
        v.shownOn = true;
        v.lastOnAt = t;
        send(true);
        return;
      }
      const entry = v;
      entry.trailing = setTimeout(() => {
        entry.trailing = null;
        entry.shownOn = true;
        entry.lastOnAt = this.now();
        send(true);
      }, wait);
      entry.trailing.unref?.();
      return;
    }
    if (!v) return;
    if (v.trailing) {
      clearTimeout(v.trailing);
      v.trailing = null;
    }
    if (v.shownOn) {
      v.shownOn = false;
      send(false);
    }
    // Forget the visitor once the gap is over; until then a new "on" must wait for it.
    const entry = v;
    const forget = setTimeout(
      () => {
        if (!entry.shownOn && !entry.trailing && this.visitors.get(visitorId) === entry) this.visitors.delete(visitorId);
      },
      Math.max(0, entry.lastOnAt + this.gapMs - t),
    );
    forget.unref?.();
  }

  /** Visitors with typing state held (for tests and metrics). */
  get size(): number {
    return this.visitors.size;
  }
}
