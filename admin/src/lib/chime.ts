/**
 * A short two-note chime made with Web Audio (no sound file to fetch). Browsers only let a page
 * play sound after the person interacted with it: `unlock()` runs on the agent's first click or
 * key press.
 */
export interface Chime {
  unlock(): void;
  play(): void;
}

export function createChime(win: Window & { AudioContext?: typeof AudioContext }): Chime {
  const Audio = win.AudioContext;
  let ctx: AudioContext | null = null;
  const context = (A: typeof AudioContext): AudioContext => {
    const c = (ctx ??= new A());
    if (c.state === 'suspended') void c.resume();
    return c;
  };
  return {
    unlock() {
      if (Audio) context(Audio);
    },
    play() {
      if (!Audio) return;
      const audio = context(Audio);
      const start = audio.currentTime;
      [880, 1320].forEach((frequency, i) => {
        const at = start + i * 0.14;
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = 'sine';
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
        osc.connect(gain).connect(audio.destination);
        osc.start(at);
        osc.stop(at + 0.4);
      });
    },
  };
}
