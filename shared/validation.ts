import { z } from 'zod';
import type { Locale } from './i18n';

// zod's own messages in the caller's language (our custom messages are dictionary keys and are
// translated by whoever shows them).
const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;

export function zodLocale(locale: Locale) {
  return locale === 'en' ? en : zh;
}
