/**
 * Light and dark themes: the system preference until the user picks one with the toggle, which
 * is then remembered. The stylesheet already follows the system before this runs, so there is
 * no flash; this only pins `data-theme` on the root element.
 */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'wikistream.theme';

export interface ThemeController {
  current(): Theme;
  toggle(): Theme;
  onChange(listener: (theme: Theme) => void): void;
}

function readStored(storage: Storage | null): Theme | null {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export function createTheme(
  root: HTMLElement,
  storage: Storage | null,
  media: MediaQueryList,
): ThemeController {
  const listeners: ((theme: Theme) => void)[] = [];
  let chosen = readStored(storage);
  const resolve = (): Theme => chosen ?? (media.matches ? 'dark' : 'light');
  const apply = () => {
    const theme = resolve();
    root.dataset.theme = theme;
    for (const listener of listeners) listener(theme);
  };
  media.addEventListener('change', () => {
    if (chosen === null) apply();
  });
  apply();
  return {
    current: resolve,
    toggle() {
      chosen = resolve() === 'dark' ? 'light' : 'dark';
      try {
        storage?.setItem(STORAGE_KEY, chosen);
      } catch {
        // Private mode or storage disabled: the choice lasts for this page only.
      }
      apply();
      return chosen;
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
