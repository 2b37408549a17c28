// Reads an untrusted workbook in a worker thread (DESIGN.md "Spreadsheets"). xlsx 0.18.5 has a
// published prototype-pollution advisory (CVE-2023-30533) and a ReDoS one (CVE-2024-22363), so:
// - Object.prototype is frozen before SheetJS is even loaded, so nothing it parses can add to
//   it or change what it has;
// - parts of the file that name __proto__ / constructor.prototype are refused outright;
// - the parent thread caps the file size and terminates this worker after a time limit;
// - only the first sheet and at most `maxRows` rows are parsed, and only cell values are kept
//   (no formulas, styles, HTML or number formats).
// Plain JavaScript: a worker cannot rely on the parent's TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';

// Frozen property by property: the result is the same (Object.isFrozen is true) but V8 keeps
// its fast paths, where Object.freeze on Object.prototype halves SheetJS's speed.
function lockDown(proto) {
  for (const key of Reflect.ownKeys(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if ('value' in descriptor) descriptor.writable = false;
    descriptor.configurable = false;
    Object.defineProperty(proto, key, descriptor);
  }
  Object.preventExtensions(proto);
  if (!Object.isFrozen(proto)) throw new Error('prototype not frozen');
}
// Object.prototype is what a polluting workbook reaches for (every plain object inherits it);
// locking the other built-in prototypes too doubles the parse time for no gain here.
lockDown(Object.prototype);

const { default: XLSX } = await import('xlsx');

const POLLUTION = /__proto__|constructor\s*\.\s*prototype|\bprototype\s*\[/;

function text(value) {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Date cells come back in local time as SheetJS reads them: keep the calendar day.
    const pad = (n) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value) ? `#BIGNUMBER:${value}` : String(value);
  return String(value);
}

function run() {
  const { bytes, maxRows } = workerData;
  const data = new Uint8Array(bytes);
  let zip;
  try {
    zip = XLSX.CFB.read(data, { type: 'array' });
  } catch {
    return { ok: false, reason: 'notWorkbook' };
  }
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (const entry of zip.FileIndex) {
    if (!entry.content || entry.type !== 2) continue;
    const content = entry.content instanceof Uint8Array ? entry.content : Uint8Array.from(entry.content);
    if (POLLUTION.test(decoder.decode(content))) return { ok: false, reason: 'refused' };
  }
  let workbook;
  try {
    workbook = XLSX.read(data, {
      type: 'array',
      dense: true,
      sheets: 0,
      sheetRows: maxRows + 1,
      cellDates: true,
      cellFormula: false,
      cellHTML: false,
      cellText: false,
      cellNF: false,
      cellStyles: false,
      bookVBA: false,
      WTF: false,
    });
  } catch (error) {
    if (error instanceof TypeError && /read.only|not extensible|frozen/i.test(String(error.message))) return { ok: false, reason: 'refused' };
    return { ok: false, reason: 'notWorkbook' };
  }
  if (!workbook.SheetNames || workbook.SheetNames.length === 0) return { ok: false, reason: 'noSheet' };
  const sheet = workbook.Sheets[workbook.SheetNames[0]];
  if (!sheet) return { ok: false, reason: 'noSheet' };
  const range = sheet['!ref'] ? XLSX.utils.decode_range(sheet['!ref']) : null;
  const totalRows = range ? range.e.r + 1 : 0;
  const rows = XLSX.utils.sheet_to_json(sheet, { header: 1, raw: true, defval: '', blankrows: true });
  return { ok: true, rows: rows.map((row) => row.map(text)), sheetName: workbook.SheetNames[0], truncated: totalRows > maxRows + 1 };
}

let result;
try {
  result = run();
} catch (error) {
  result = { ok: false, reason: 'notWorkbook', detail: String(error?.message ?? error) };
}
parentPort.postMessage(result);
