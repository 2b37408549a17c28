import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_LOCALE, isLocale, translate, type Locale, type MessageKey, type MessageParams } from '../../shared/i18n';
import { setClientLocale } from '../api/client';

// The UI language: zh-CN unless the user switched to English on this PC (kept in localStorage).

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, params?: MessageParams): string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = 'griddesk.locale';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage unavailable: keep the default
  }
  return DEFAULT_LOCALE;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const l = initialLocale();
    setClientLocale(l);
    return l;
  });
  const setLocale = useCallback((next: Locale) => {
    setClientLocale(next);
    document.documentElement.lang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not fatal
    }
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/**
 * The UI language where a provider is above, without requiring one: data hooks re-ask the back
 * end when it changes, since what the back end words (a rule's reason, a refusal) is in it.
 */
export function useLocaleIfAny(): Locale | undefined {
  return useContext(I18nContext)?.locale;
}
