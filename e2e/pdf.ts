import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// Chromium's PDFs map a CJK glyph shared with a radical (Noto CJK draws 户 and ⼾ alike) to the
// radical's code point, and pdf.js returns most Chinese characters as separate text items. The
// text is put back as the page showed it: radicals to the simplified characters the font drew,
// no spaces between Chinese characters, single spaces elsewhere.
const RADICALS: Record<string, string> = {
  '\u2f3e': '户', // ⼾ (NFKC would give the traditional 戶)
  '\u2ed8': '青', // ⻘
  '\u2ec5': '见', // ⻅
  '\u2ecb': '车', // ⻋
  '\u2ed3': '长', // ⻓
  '\u2ed4': '门', // ⻔
  '\u2eda': '页', // ⻚
  '\u2edb': '风', // ⻛
  '\u2ee2': '马', // ⻢
  '\u2ee9': '黄', // ⻩
  '\u2ec9': '贝', // ⻉
  '\u2ee0': '饣', // ⻠
  '\u2ec8': '讠', // ⻈
};
const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef';

export function normalizePdfText(text: string): string {
  return text
    .replace(/[\u2e80-\u2fdf]/g, (c) => RADICALS[c] ?? c.normalize('NFKC'))
    .replace(new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g'), '')
    .replace(/[ \t]+/g, ' ');
}

/** The text of every page of a PDF, one line per page, as a reader would copy it. */
export async function pdfText(buffer: Buffer | Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(buffer), useSystemFonts: true, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(normalizePdfText(content.items.map((item) => ('str' in item ? item.str : '')).join(' ')));
  }
  await doc.destroy();
  return pages.join('\n');
}
