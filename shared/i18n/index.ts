// The one dictionary of UI strings (zh-CN by default, English switchable), merged from each
// desk's file. Placeholders are written {name}.
import { appraisalStrings } from './appraisal';
import { billingStrings } from './billing';
import { cliStrings } from './cli';
import { customersStrings } from './customers';
import { datesStrings } from './dates';
import { collectionStrings } from './collection';
import { frontStrings } from './front';
import { homeStrings } from './home';
import { platformStrings } from './platform';
import { readingsStrings } from './readings';
import { safetyStrings } from './safety';
import { shellStrings } from './shell';
import { syncStrings } from './sync';
import { serviceStrings } from './service';
import { filesStrings } from './files';
import { figuresStrings } from './figures';
import { syncFilesStrings } from './syncFiles';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const zh = {
  ...platformStrings.zh,
  ...shellStrings.zh,
  ...customersStrings.zh,
  ...readingsStrings.zh,
  ...billingStrings.zh,
  ...collectionStrings.zh,
  ...appraisalStrings.zh,
  ...cliStrings.zh,
  ...frontStrings.zh,
  ...safetyStrings.zh,
  ...syncStrings.zh,
  ...datesStrings.zh,
  ...homeStrings.zh,
  ...serviceStrings.zh,
  ...filesStrings.zh,
  ...figuresStrings.zh,
  ...syncFilesStrings.zh,
};
const en: Record<keyof typeof zh, string> = {
  ...platformStrings.en,
  ...shellStrings.en,
  ...customersStrings.en,
  ...readingsStrings.en,
  ...billingStrings.en,
  ...collectionStrings.en,
  ...appraisalStrings.en,
  ...cliStrings.en,
  ...frontStrings.en,
  ...safetyStrings.en,
  ...syncStrings.en,
  ...datesStrings.en,
  ...homeStrings.en,
  ...serviceStrings.en,
  ...filesStrings.en,
  ...figuresStrings.en,
  ...syncFilesStrings.en,
};

/** Each desk's strings, for the check that no two desks define the same key (the later would win silently). */
export const DESK_STRINGS = { platformStrings, shellStrings, customersStrings, readingsStrings, billingStrings, collectionStrings, appraisalStrings, cliStrings, frontStrings, safetyStrings, syncStrings, datesStrings, homeStrings, serviceStrings, filesStrings, figuresStrings, syncFilesStrings };

export type MessageKey = keyof typeof zh;
export type MessageParams = Record<string, string | number>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = (locale === 'en' ? en : zh)[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(zh, key);
}

/** Every key with its two texts, for the dictionary test. */
export function allMessages(): { key: MessageKey; zh: string; en: string }[] {
  return (Object.keys(zh) as MessageKey[]).map((key) => ({ key, zh: zh[key], en: en[key] }));
}
