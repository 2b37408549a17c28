import type { MessageKey } from '../../shared/i18n';

// The keys of each screen (快捷键), shown by F1 or ? (when not typing in a field). One entry per
// screen: the path it applies to (a prefix of the address, the longest wins) and its keys, each
// with its words in the dictionary (shared/i18n/home.ts, zh-CN and English). A screen that adds
// a key adds it here too, so the list stays true. The menu's Alt+letter keys and F1 itself are
// added to every list from the menu (areas), not repeated here.

export interface Shortcut {
  /** The keys as printed on the keyboard, e.g. "Enter", "Alt+G", "↑ / ↓". */
  keys: string;
  label: MessageKey;
}

export interface ScreenShortcuts {
  /** Address prefix, e.g. "/counter" or "/readings/entry/". */
  path: string;
  title: MessageKey;
  keys: Shortcut[];
}

export const SCREEN_SHORTCUTS: ScreenShortcuts[] = [
  {
    path: '/counter',
    title: 'shortcuts.counter',
    keys: [
      { keys: 'Enter', label: 'shortcuts.counter.open' },
      { keys: '↑ / ↓', label: 'shortcuts.search.move' },
      { keys: 'Enter', label: 'shortcuts.counter.post' },
      { keys: 'Enter', label: 'shortcuts.counter.print' },
      { keys: 'Esc / F3 / Alt+C', label: 'shortcuts.counter.next' },
    ],
  },
  {
    path: '/readings/entry/',
    title: 'shortcuts.entry',
    keys: [
      { keys: 'Enter', label: 'shortcuts.entry.save' },
      { keys: '↑ / ↓', label: 'shortcuts.entry.move' },
      { keys: 'Alt+G', label: 'shortcuts.entry.estimate' },
      { keys: 'Alt+W', label: 'shortcuts.entry.noAccess' },
      { keys: 'Alt+N', label: 'shortcuts.entry.next' },
      { keys: 'Esc', label: 'shortcuts.entry.cancel' },
    ],
  },
  {
    path: '/customers',
    title: 'shortcuts.customers',
    keys: [
      { keys: '↑ / ↓', label: 'shortcuts.search.move' },
      { keys: 'PageUp / PageDown / Home / End', label: 'shortcuts.list.page' },
      { keys: 'Enter', label: 'shortcuts.list.open' },
      { keys: 'Esc', label: 'shortcuts.search.clear' },
    ],
  },
  {
    path: '/readings/books/',
    title: 'shortcuts.book',
    keys: [
      { keys: 'Alt+↑ / Alt+↓', label: 'shortcuts.book.reorder' },
      { keys: 'Space', label: 'shortcuts.book.tick' },
    ],
  },
  {
    path: '/print/receipt/',
    title: 'shortcuts.receipt',
    keys: [{ keys: 'Esc', label: 'shortcuts.receipt.back' }],
  },
  {
    path: '/print/',
    title: 'shortcuts.print',
    keys: [{ keys: 'Esc', label: 'shortcuts.print.back' }],
  },
];

/** The shortcuts of the screen at `path` (the entry with the longest matching prefix), if any. */
export function shortcutsFor(path: string): ScreenShortcuts | undefined {
  return SCREEN_SHORTCUTS.filter((s) => path === s.path || path.startsWith(s.path.endsWith('/') ? s.path : `${s.path}/`) || path === s.path.replace(/\/$/, ''))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** Whether a key press happens while typing in a field (then "?" is a character, not help). */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
