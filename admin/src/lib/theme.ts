/**
 * Light or dark: the system's choice (prefers-color-scheme) unless the agent picked one. The choice
 * is kept in this browser and applied as `data-theme` on <html> before the first render.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'connectdesk:admin-theme';

export function savedTheme(storage: Pick<Storage, 'getItem'> = localStorage): ThemeChoice {
  try {
    const v = storage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system'; // storage blocked: follow the system
  }
}

export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export function chooseTheme(choice: ThemeChoice, storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage): void {
  try {
    if (choice === 'system') storage.removeItem(KEY);
    else storage.setItem(KEY, choice);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  applyTheme(choice);
}
