/**
 * Keeps `--app-height` on <html> equal to the visual viewport's height, so the app (and its
 * composer) shrinks above a phone's on-screen keyboard instead of being covered by it. A short
 * visual viewport (the keyboard is up) sets `data-short`, and the CSS hides what can wait.
 */
export function trackViewportHeight(win: Window = window): () => void {
  const vv = win.visualViewport;
  if (!vv) return () => {};
  const root = win.document.documentElement;
  const apply = () => {
    root.style.setProperty('--app-height', `${Math.round(vv.height)}px`);
    root.toggleAttribute('data-short', vv.height < 480);
    // iOS scrolls the layout viewport to show the focused field: keep the app's top in view.
    if (vv.offsetTop > 0) win.scrollTo(0, 0);
  };
  apply();
  vv.addEventListener('resize', apply);
  vv.addEventListener('scroll', apply);
  return () => {
    vv.removeEventListener('resize', apply);
    vv.removeEventListener('scroll', apply);
  };
}
