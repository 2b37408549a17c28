// Each desk keeps its UI strings in one file here: Chinese first (the office's language), then
// English with exactly the same keys — the type checker refuses a missing translation.

export interface Strings<K extends string> {
  zh: Record<K, string>;
  en: Record<K, string>;
}

export function defineStrings<const Z extends Record<string, string>>(
  zh: Z,
  en: { [K in keyof Z]: string },
): Strings<Extract<keyof Z, string>> {
  return { zh, en } as Strings<Extract<keyof Z, string>>;
}
