import { zipParts } from './hostile.fixture';
import XLSX from 'xlsx';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readWorkbook, WorkbookError, type WorkbookRow } from './read';
import { writeWorkbook } from './write';

// The workbook reader against files written the ways the office's files are: by Excel or WPS
// (shared strings, phonetic guides, dates as styled numbers, prefixed namespaces), by SheetJS,
// and by our own export; and against files that are not workbooks or try to be harmful.

async function read(bytes: Uint8Array, maxRows = 1000): Promise<{ rows: WorkbookRow[]; truncated: boolean; sheetName: string }> {
  const rows: WorkbookRow[] = [];
  const result = await readWorkbook(bytes, { maxRows, onRows: (batch) => rows.push(...batch) });
  return { rows, ...result };
}

async function refusal(bytes: Uint8Array): Promise<string> {
  try {
    await read(bytes);
  } catch (error) {
    if (error instanceof WorkbookError) return error.reason;
    throw error;
  }
  return 'read';
}

/** A zip of the given parts (as a spreadsheet program would write them). */
function zip(parts: Record<string, string>): Buffer {
  const cfb = XLSX.CFB.utils.cfb_new();
  for (const [name, text] of Object.entries(parts)) XLSX.CFB.utils.cfb_add(cfb, `/${name}`, Buffer.from(text, 'utf8'));
  return XLSX.CFB.write(cfb, { type: 'buffer', fileType: 'zip', compression: true }) as Buffer;
}

/** A zip of parts already deflated, declaring no unpacked size, for a part no writer would make. */
function deflatedZip(parts: Record<string, Buffer>): Buffer {
  return zipParts(Object.fromEntries(Object.entries(parts).map(([name, deflated]) => [name, { deflated, size: 0 }])));
}

/** Deflated spaces, `megabytes` of them once inflated, made without holding them. */
async function deflatedSpaces(megabytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 1 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const megabyte = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < megabytes; i++) if (!deflate.write(megabyte)) await new Promise((resolve) => deflate.once('drain', resolve));
  deflate.end();
  await done;
  return Buffer.concat(out);
}

const RELS = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const BOOK_RELS = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
  <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>
  <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
</Relationships>`;

/** An Excel-like workbook: x: prefixes, shared strings with rich text and phonetic guides, a date style. */
function excelLike(sheetData: string, extra: Record<string, string> = {}): Buffer {
  return zip({
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': RELS,
    'xl/workbook.xml': `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr/><x:sheets><x:sheet name="客户 &amp; 表" sheetId="5" r:id="rId7"/></x:sheets></x:workbook>`,
    'xl/_rels/workbook.xml.rels': BOOK_RELS,
    'xl/sharedStrings.xml': `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>户名</t></si><si><t>乡镇</t></si><si><r><t>张</t></r><r><rPr><b/></rPr><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>ちょう</t></rPh></si><si><t>A&amp;B_x000D_C</t></si><si/></sst>`,
    'xl/styles.xml': `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="49"/></cellXfs></styleSheet>`,
    'xl/worksheets/sheet2.xml': `<?xml version="1.0" encoding="UTF-8"?><!-- from Excel --><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:E4"/><x:sheetData>${sheetData}</x:sheetData><x:mergeCells count="0"/></x:worksheet>`,
    ...extra,
  });
}

describe('reading a workbook', () => {
  it('reads what Excel writes: shared strings without phonetic guides, styled dates, numbers, prefixed tags', async () => {
    const { rows, sheetName, truncated } = await read(
      excelLike(
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c></x:row>' +
          '<x:row r="3"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="C3" s="1"><x:v>46027</x:v></x:c><x:c r="D3" s="2"><x:v>46027.75</x:v></x:c>' +
          '<x:c r="E3" s="3"><x:v>13812345678</x:v></x:c><x:c r="F3"><x:v>1.1010519491231002E+17</x:v></x:c><x:c r="G3" t="b"><x:v>1</x:v></x:c>' +
          '<x:c r="H3" t="str"><x:f>A1</x:f><x:v>公式值</x:v></x:c><x:c r="I3" t="s"><x:v>3</x:v></x:c><x:c r="J3" t="s"><x:v>4</x:v></x:c></x:row>' +
          '<x:row><x:c t="inlineStr"><x:is><x:t>&lt;无号&gt; &#x5F20;&#19977;</x:t></x:is></x:c><x:c><x:v>2.5</x:v></x:c></x:row>',
      ),
    );
    expect(sheetName).toBe('客户 & 表');
    expect(truncated).toBe(false);
    expect(rows).toEqual([
      { row: 1, cells: ['户名', '乡镇'] },
      { row: 3, cells: ['张三 ', '', '2026-01-05', '2026-01-05', '13812345678', '#BIGNUMBER:110105194912310020', 'true', '公式值', 'A&B\rC'] },
      { row: 4, cells: ['<无号> 张三', '2.5'] },
    ]);
  });

  it('reads what SheetJS writes (dates as date cells) and what our own export writes', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['户名', '立户日期'], ['李四', new Date(2026, 0, 5)]], { cellDates: true }), '客户');
    expect((await read(XLSX.write(book, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer)).rows).toEqual([
      { row: 1, cells: ['户名', '立户日期'] },
      { row: 2, cells: ['李四', '2026-01-05'] },
    ]);
    const ours = await writeWorkbook([{ name: '客户', rows: [['户名', '', '备注'], ['王五', '', 'a & b <c> "d"']] }]);
    expect((await read(ours)).rows).toEqual([
      { row: 1, cells: ['户名', '', '备注'] },
      { row: 2, cells: ['王五', '', 'a & b <c> "d"'] },
    ]);
  });

  it('delivers rows in batches as they are read, and stops after the row limit', async () => {
    const rows = [['户名'], ...Array.from({ length: 4500 }, (_, i) => [`客户${i}`])];
    const bytes = await writeWorkbook([{ name: 's', rows }]);
    const batches: number[] = [];
    let size = 0;
    await readWorkbook(bytes, { maxRows: 10_000, onRows: (batch) => batches.push(batch.length), onSize: (n) => (size = n) });
    expect(batches.reduce((a, b) => a + b, 0)).toBe(4501);
    expect(batches.length).toBeGreaterThan(1);
    expect(size).toBe(0); // our writer declares no dimension; Excel's files do
    const limited = await read(bytes, 100);
    expect(limited.truncated).toBe(true);
    expect(limited.rows.length).toBeLessThanOrEqual(101);
  });

  it('refuses what is not a workbook, or tries to be harmful, with its reason', async () => {
    expect(await refusal(Buffer.from('户名,乡镇\n张三,青山镇\n'))).toBe('notWorkbook');
    const real = await writeWorkbook([{ name: 's', rows: [['户名']] }]);
    expect(await refusal(real.subarray(0, real.length - 30))).toBe('notWorkbook'); // cut short
    expect(await refusal(zip({ 'word/document.xml': '<w:document/>', '_rels/.rels': RELS.replace('xl/workbook.xml', 'word/document.xml') }))).toBe('notWorkbook');
    expect(await refusal(excelLike('', { 'xl/workbook.xml': '<workbook><sheets/></workbook>' }))).toBe('noSheet');
    // Prototype pollution, in the sheet or in a part nobody reads; a DTD (entity expansion).
    expect(await refusal(excelLike('<row><c t="inlineStr"><is><t>__proto__</t></is></c></row>'))).toBe('refused');
    expect(await refusal(excelLike('<row/>', { 'docProps/custom.xml': '<p>constructor . prototype</p>' }))).toBe('refused');
    expect(await refusal(excelLike('<row/>', { 'xl/worksheets/sheet2.xml': '<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>' }))).toBe('refused');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A part that inflates without end (a zip bomb) is stopped by the size cap, not read into memory.
    const bomb = deflatedZip({
      '_rels/.rels': deflateRawSync(RELS),
      'xl/workbook.xml': deflateRawSync('<workbook><sheets><sheet name="s" r:id="rId7"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': deflateRawSync(BOOK_RELS),
      'xl/worksheets/sheet2.xml': deflateRawSync('<worksheet><sheetData/></worksheet>'),
      'xl/big.xml': await deflatedSpaces(600),
    });
    expect(bomb.length).toBeLessThan(5 * 1024 * 1024); // a few megabytes: under the 30 MB file cap
    expect(await refusal(bomb)).toBe('unpackedTooBig');
  }, 60_000);
});
