import type { ReadingKind, TouRegister } from '../../shared/readings';

// What the reader typed but has not saved yet, kept in localStorage on every keystroke so a
// closed window or a power cut mid-book loses nothing typed: the grid restores it on opening.
// Every Enter commits a row through the API (durable at once); its draft is then dropped.

export interface RowDraft {
  value: string;
  registers: Partial<Record<TouRegister, string>>;
  kind: ReadingKind;
  reason: string;
}

export type Drafts = Record<string, RowDraft>;

export const emptyDraft = (): RowDraft => ({ value: '', registers: {}, kind: 'actual', reason: '' });

export function isBlank(draft: RowDraft | undefined): boolean {
  return !draft || (draft.value === '' && draft.reason === '' && draft.kind === 'actual' && Object.values(draft.registers).every((v) => !v));
}

export function draftKey(staffId: string, period: string, bookId: string): string {
  return `griddesk.readings.draft.${staffId}.${period}.${bookId}`;
}

export function loadDrafts(key: string): Drafts {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as Drafts) : {};
  } catch {
    return {};
  }
}

export function saveDrafts(key: string, drafts: Drafts): void {
  try {
    const kept = Object.fromEntries(Object.entries(drafts).filter(([, d]) => !isBlank(d)));
    if (Object.keys(kept).length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(kept));
  } catch {
    // storage full or unavailable: the row still saves on Enter
  }
}
