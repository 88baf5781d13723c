/**
 * Whether the agent has left this tab alone for their `away_after_minutes`: no pointer, key,
 * wheel, touch or focus for that long. Checked every few seconds; `onChange` hears each flip.
 * 0 minutes means never idle.
 */
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;
const CHECK_MS = 5_000;

export interface IdleTracker {
  idle(): boolean;
  stop(): void;
}

export function trackIdle(win: Window, minutes: () => number, onChange: (idle: boolean) => void): IdleTracker {
  let last = Date.now();
  let idle = false;
  const set = (value: boolean) => {
    if (value === idle) return;
    idle = value;
    onChange(value);
  };
  const active = () => {
    last = Date.now();
    set(false);
  };
  const check = () => {
    const m = minutes();
    set(m > 0 && Date.now() - last >= m * 60_000);
  };
  for (const ev of ACTIVITY) win.addEventListener(ev, active, { passive: true, capture: true });
  const timer = win.setInterval(check, CHECK_MS);
  return {
    idle: () => idle,
    stop() {
      win.clearInterval(timer);
      for (const ev of ACTIVITY) win.removeEventListener(ev, active, { capture: true });
    },
  };
}
