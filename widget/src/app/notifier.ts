/**
 * A reply arrived while the chat is closed: a short WebAudio beep (no audio file; only after the
 * visitor has interacted with the widget, as browsers require) and a blinking page title.
 */
export interface Notifier {
  /** Call from a user gesture inside the widget: allows sound later. */
  unlock(): void;
  notify(count: number, label: string): void;
  stop(): void;
}

export function createNotifier(win: Window): Notifier {
  let audio: AudioContext | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let original: string | null = null;
  const doc = win.document;
  const reduced = () => win.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

  const beep = () => {
    if (!audio || audio.state !== 'running') return;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    const t = audio.currentTime;
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.setValueAtTime(1320, t + 0.09);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.26);
  };

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    if (original !== null) doc.title = original;
    original = null;
  };

  return {
    unlock() {
      const w = win as Window & { AudioContext?: typeof AudioContext; webkitAudioContext?: typeof AudioContext };
      const Ctor = w.AudioContext ?? w.webkitAudioContext;
      if (!Ctor) return;
      try {
        const ctx = (audio ??= new Ctor());
        if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
      } catch {
        audio = null;
      }
    },
    notify(count, label) {
      beep();
      stop();
      original = doc.title;
      const alert = `(${count}) ${label}`;
      if (reduced()) {
        doc.title = alert;
        return;
      }
      let on = true;
      doc.title = alert;
      timer = setInterval(() => {
        on = !on;
        doc.title = on ? alert : original!;
      }, 1000);
    },
    stop,
  };
}
