import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// Reading a PDF's text back, for the end-to-end tests.
//
// Chromium writes each glyph's text as the first code point the font maps to it. Noto Sans CJK
// maps the CJK radicals (⼭ U+2F2D, ⻘ U+2EC4, …) to the same glyphs as the ideographs (山, 青), so
// copied text comes out as radicals. The font's own cmap tells which ideograph shares each
// radical's glyph; pdfText puts the ideograph back, so tests compare with the words on screen.

/** code point → glyph id from an OpenType font (cmap format 12 or 4) inside a .ttc/.otf file. */
function readCmap(file: string, faceIndex: number): Map<number, number> {
  const buf = readFileSync(file);
  const u16 = (o: number) => buf.readUInt16BE(o);
  const u32 = (o: number) => buf.readUInt32BE(o);
  const face = buf.toString('latin1', 0, 4) === 'ttcf' ? u32(12 + 4 * faceIndex) : 0;
  let cmap = -1;
  for (let i = 0, n = u16(face + 4); i < n; i++) {
    const entry = face + 12 + 16 * i;
    if (buf.toString('latin1', entry, entry + 4) === 'cmap') cmap = u32(entry + 8);
  }
  if (cmap < 0) throw new Error(`${file}: no cmap`);
  const map = new Map<number, number>();
  for (let i = 0, n = u16(cmap + 2); i < n; i++) {
    const sub = cmap + u32(cmap + 4 + 8 * i + 4);
    if (u16(sub) === 12) {
      for (let g = 0, groups = u32(sub + 12); g < groups; g++) {
        const at = sub + 16 + 12 * g;
        for (let c = u32(at), glyph = u32(at + 8); c <= u32(at + 4); c++, glyph++) map.set(c, glyph);
      }
      return map;
    }
  }
  throw new Error(`${file}: no format-12 cmap`);
}

let radicalMap: Map<string, string> | undefined;

/** Radical → the ideograph drawn with the same glyph in the font Chromium used for Chinese. */
function radicals(): Map<string, string> {
  if (radicalMap) return radicalMap;
  radicalMap = new Map();
  let located: string;
  try {
    located = execFileSync('fc-match', ['-f', '%{file}:%{index}', 'Noto Sans CJK SC'], { encoding: 'utf8' });
  } catch {
    return radicalMap; // no fontconfig: leave the text as it is
  }
  const [file = '', index = '0'] = located.split(':');
  const cmap = readCmap(file, Number(index));
  const ideographOf = new Map<number, number>();
  for (const [code, glyph] of cmap) {
    if (code >= 0x4e00 && code <= 0x9fff && !ideographOf.has(glyph)) ideographOf.set(glyph, code);
  }
  for (const [code, glyph] of cmap) {
    if (code < 0x2e80 || code > 0x2fdf) continue;
    const ideograph = ideographOf.get(glyph);
    if (ideograph !== undefined) radicalMap.set(String.fromCodePoint(code), String.fromCodePoint(ideograph));
  }
  return radicalMap;
}

function restoreIdeographs(text: string): string {
  const map = radicals();
  return text.replace(/[\u2e80-\u2fdf]/g, (c) => map.get(c) ?? c.normalize('NFKC'));
}

/** The text of a PDF, page by page (pages separated by form feeds in `text`), as a reader would copy it. */
export async function pdfText(data: Buffer | Uint8Array): Promise<{ text: string; pages: string[] }> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(restoreIdeographs(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('')));
  }
  await doc.destroy();
  return { text: pages.join('\f'), pages };
}
