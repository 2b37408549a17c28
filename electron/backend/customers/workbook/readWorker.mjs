// Reads an untrusted workbook in a worker thread (DESIGN.md "Spreadsheets"). This is a small
// reader of our own rather than SheetJS: xlsx 0.18.5 has a published prototype-pollution
// advisory (CVE-2023-30533) and a ReDoS one (CVE-2024-22363), and it builds the whole workbook
// in memory (~0.25 ms of CPU per row; a 50,000-row import spent most of its time there). So:
// - Object.prototype is frozen before anything runs, and nothing read from the file ever becomes
//   a property name (cells go into arrays, names are compared, never used as keys);
// - XML parts that name __proto__ / constructor.prototype are refused outright, as is any DTD
//   (no entity is ever expanded; only the five XML entities and character references are read);
// - the parent thread caps the file size and terminates this worker after a time limit; here each
//   part's inflated size is capped too (a zip bomb stops at the cap);
// - only the first sheet is read, as a stream: its XML is inflated and scanned chunk by chunk,
//   only cell values are kept (no formulas, styles, comments), at most `maxColumns` columns and
//   `maxRows` rows, and rows go to the parent in batches as they are read;
// - the text handed over is capped (cells × characters, `maxChars`): a small file whose 100,000
//   cells all name one long shared string would otherwise become gigabytes of copies, since each
//   cell is copied on its own when it crosses to the parent. The shared-string table counts
//   against the same cap. Batches are bounded in rows and in characters, and at most a few are
//   in flight: the parent counts the ones it has handled in a shared counter, and this thread
//   waits on it (Atomics.wait) rather than queue copies the parent cannot take in yet;
// - the time limit is checked here too, after every chunk, so it fires even if the parent's
//   thread is busy.
// The scanners are plain loops over bytes (no backtracking patterns on file content).
// Plain JavaScript: a worker cannot rely on the parent's TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { createInflateRaw } from 'node:zlib';

// Frozen property by property: the result is the same (Object.isFrozen is true) but V8 keeps
// its fast paths, where Object.freeze on Object.prototype slows every object literal down.
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
// Object.prototype is what a polluting workbook reaches for (every plain object inherits it).
lockDown(Object.prototype);

/** A refusal the parent turns into a message: notWorkbook, tooBig, unpackedTooBig, tooMuchText, timeout, refused, noSheet. */
class Refusal extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

/** Inflated bytes allowed per part (a 30 MB file of 100,000 rows inflates to ~200 MB). */
const PART_CAP = 512 * 1024 * 1024;
/** An unfinished token longer than this is not a spreadsheet's. */
const TOKEN_CAP = 8 * 1024 * 1024;
const CHUNK = 256 * 1024;
/** Rows per message to the parent: it checks one batch while this reads the next. */
const BATCH = 2000;
/** Characters of cell text per message at most (a batch of long cells is sent sooner). */
const BATCH_CHARS = 1024 * 1024;
/** Batches sent and not yet handled by the parent, at most. */
const IN_FLIGHT = 2;

const { maxChars, deadline, flow } = workerData;
/** flow[0]: batches the parent has handled (it adds one and notifies after each). */
const handled = new Int32Array(flow);
let sent = 0;
/** Characters of text read so far (shared strings, then the cells handed over). */
let chars = 0;

function countChars(n) {
  chars += n;
  if (chars > maxChars) throw new Refusal('tooMuchText');
}

function checkDeadline() {
  if (Date.now() > deadline) throw new Refusal('timeout');
}

/** Posts a batch of rows, first waiting (without spinning) while IN_FLIGHT batches are unhandled. */
function send(rows) {
  for (;;) {
    const done = Atomics.load(handled, 0);
    if (sent - done < IN_FLIGHT) break;
    checkDeadline();
    Atomics.wait(handled, 0, done, 100);
  }
  sent += 1;
  parentPort.postMessage({ type: 'rows', rows });
}

// ---- zip ------------------------------------------------------------------------------------

/** The zip's entries by lower-cased name (the package's part names are case-insensitive). */
function zipEntries(data) {
  const u16 = (at) => data.readUInt16LE(at);
  const u32 = (at) => data.readUInt32LE(at);
  let end = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (u32(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Refusal('notWorkbook');
  const count = u16(end + 10);
  let at = u32(end + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || u32(at) !== 0x02014b50) throw new Refusal('notWorkbook');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const size = u32(at + 20);
    const nameLength = u16(at + 28);
    const local = u32(at + 42);
    const name = data.toString('utf8', at + 46, at + 46 + nameLength).replace(/\\/g, '/').replace(/^\//, '').toLowerCase();
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (flags & 1) throw new Refusal('encrypted'); // a password-protected zip
    if (local + 30 > data.length || u32(local) !== 0x04034b50) throw new Refusal('notWorkbook');
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + size > data.length) throw new Refusal('notWorkbook');
    if (!entries.has(name)) entries.set(name, { name, method, bytes: data.subarray(start, start + size) });
  }
  return entries;
}

/** A part's bytes, inflated chunk by chunk, at most PART_CAP of them. */
async function* partChunks(entry) {
  if (entry.method === 0) {
    for (let at = 0; at < entry.bytes.length; at += CHUNK) {
      checkDeadline();
      yield entry.bytes.subarray(at, at + CHUNK);
    }
    return;
  }
  if (entry.method !== 8) throw new Refusal('notWorkbook');
  const inflater = createInflateRaw({ chunkSize: CHUNK });
  inflater.end(entry.bytes);
  let total = 0;
  try {
    for await (const chunk of inflater) {
      total += chunk.length;
      if (total > PART_CAP) throw new Refusal('unpackedTooBig');
      checkDeadline();
      yield chunk;
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal('notWorkbook'); // corrupt deflate data
  } finally {
    inflater.destroy();
  }
}

// What SheetJS was shielded from: a part that tries to reach prototypes. Searched on each
// chunk with the end of the previous one in front, so a name split between chunks is found.
const POLLUTION = /__proto__|constructor\s*\.\s*prototype|\bprototype\s*\[/;
const OVERLAP = 4096;

function pollutionGuard() {
  let tail = '';
  return (chunk) => {
    const text = tail + chunk.toString('latin1');
    if (POLLUTION.test(text)) throw new Refusal('refused');
    tail = text.slice(-OVERLAP);
  };
}

// ---- XML --------------------------------------------------------------------------------------

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOS = 0x27;
const BANG = 0x21;
const QUESTION = 0x3f;

const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

// Elements are told apart by their local name's bytes (a namespace prefix such as x: is
// skipped): a string per tag would be millions of strings for a sheet of 50,000 rows.
const NAMES = ['row', 'c', 'v', 'is', 't', 'rPh', 'sheetData', 'dimension', 'si', 'workbook', 'sheet', 'workbookPr', 'Relationship', 'numFmt', 'cellXfs', 'xf'];
const [ROW, CELL, VALUE, INLINE, TEXT, PHONETIC, SHEET_DATA, DIMENSION, STRING_ITEM, WORKBOOK, SHEET, WORKBOOK_PR, RELATIONSHIP, NUMBER_FORMAT, CELL_XFS, XF] = NAMES.map((_, i) => i + 1);
const NAME_BYTES = NAMES.map((name) => Buffer.from(name, 'latin1'));

/** The code of the element named in buf[start, end) (0 for any other name). */
function tagCode(buf, start, end) {
  let from = start;
  for (let i = start; i < end; i++) if (buf[i] === 0x3a) from = i + 1;
  const length = end - from;
  for (let n = 0; n < NAME_BYTES.length; n++) {
    const name = NAME_BYTES[n];
    if (name.length !== length) continue;
    let same = true;
    for (let k = 0; k < length; k++) {
      if (buf[from + k] !== name[k]) {
        same = false;
        break;
      }
    }
    if (same) return n + 1;
  }
  return 0;
}

/** Whether buf[start, end) is `name` once any namespace prefix is skipped. */
function isName(buf, start, end, name) {
  let from = start;
  for (let i = start; i < end; i++) if (buf[i] === 0x3a) from = i + 1;
  if (end - from !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (buf[from + k] !== name.charCodeAt(k)) return false;
  return true;
}

const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;
const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function fromCodePoint(code) {
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
}

/** XML text → string: the five entities, character references, OOXML's _xHHHH_ escapes; no control characters. */
function decodeText(buf, start, end) {
  // One pass over the bytes says which (rare) decoding steps the text needs.
  let entities = false;
  let escapes = false;
  let control = false;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b === 0x26) entities = true;
    else if (b === 0x5f) escapes = true;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control = true;
  }
  let s = buf.toString('utf8', start, end);
  if (entities) s = s.replace(ENTITY, (_, e) => (e[0] === '#' ? fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : NAMED[e]));
  if (escapes) s = s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex) => fromCodePoint(parseInt(hex, 16)));
  return entities || control ? s.replace(CONTROL, '') : s;
}

/**
 * Where the value of the attribute with this local name lies in a tag's bytes: the start, with
 * its end in `valueEnd`; -1 when the tag has no such attribute.
 */
let valueEnd = 0;
function findAttribute(buf, start, end, wanted) {
  let i = start;
  while (i < end) {
    while (i < end && isSpace(buf[i])) i++;
    const nameStart = i;
    while (i < end && buf[i] !== 0x3d && !isSpace(buf[i]) && buf[i] !== SLASH) i++;
    const nameEnd = i;
    while (i < end && buf[i] !== QUOTE && buf[i] !== APOS) i++;
    if (i >= end) return -1;
    const quote = buf[i++];
    const valueStart = i;
    while (i < end && buf[i] !== quote) i++;
    if (nameEnd > nameStart && isName(buf, nameStart, nameEnd, wanted)) {
      valueEnd = i;
      return valueStart;
    }
    i++;
  }
  return -1;
}

/** The (decoded) value of the attribute with this local name, or undefined. */
function attribute(buf, start, end, wanted) {
  const at = findAttribute(buf, start, end, wanted);
  return at < 0 ? undefined : decodeText(buf, at, valueEnd);
}

/** A small unsigned integer attribute read from its digits (NaN when absent or not digits). */
function integerAttribute(buf, start, end, wanted) {
  const at = findAttribute(buf, start, end, wanted);
  if (at < 0 || at === valueEnd) return NaN;
  let n = 0;
  for (let i = at; i < valueEnd; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A streaming XML scanner: fed chunks, it calls handler.open(code, buf, attrStart, attrEnd,
 * selfClosing), handler.close(code) and handler.text(buf, start, end) for each complete token,
 * and keeps an unfinished token for the next chunk. handler.wantsText tells whether text matters.
 */
function xmlScanner(handler) {
  let rest = null;
  return {
    push(chunk) {
      const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      const used = scan(buf, handler);
      rest = used < buf.length ? Buffer.from(buf.subarray(used)) : null;
      if (rest && rest.length > TOKEN_CAP) throw new Refusal('notWorkbook');
    },
    end() {
      if (rest && rest.includes(LT)) throw new Refusal('notWorkbook');
    },
  };
}

/** Scans complete tokens of `buf`; returns how many bytes were used. */
function scan(buf, handler) {
  const length = buf.length;
  let i = 0;
  while (i < length) {
    if (handler.done) return length;
    if (buf[i] !== LT) {
      const next = buf.indexOf(LT, i);
      if (next < 0) return handler.wantsText ? i : length; // text runs on into the next chunk (kept only if wanted)
      if (handler.wantsText) handler.text(buf, i, next);
      i = next;
      continue;
    }
    const first = buf[i + 1];
    if (first === undefined) return i;
    if (first === BANG) {
      // A comment, CDATA section or DTD.
      if (buf[i + 2] === 0x2d) {
        const close = buf.indexOf('-->', i + 4);
        if (close < 0) return i;
        i = close + 3;
      } else if (buf.toString('latin1', i + 2, i + 9) === '[CDATA[') {
        const close = buf.indexOf(']]>', i + 9);
        if (close < 0) return i;
        if (handler.wantsText) handler.cdata(buf.toString('utf8', i + 9, close).replace(CONTROL, ''));
        i = close + 3;
      } else {
        if (i + 9 > length) return i;
        throw new Refusal('refused'); // <!DOCTYPE / <!ENTITY: a spreadsheet never needs one
      }
      continue;
    }
    if (first === QUESTION) {
      const close = buf.indexOf('?>', i + 2);
      if (close < 0) return i;
      i = close + 2;
      continue;
    }
    // A tag: find its end outside quoted attribute values.
    let j = i + 1;
    let quote = 0;
    for (; j < length; j++) {
      const b = buf[j];
      if (quote) {
        if (b === quote) quote = 0;
      } else if (b === QUOTE || b === APOS) quote = b;
      else if (b === GT) break;
    }
    if (j >= length) return i;
    if (first === SLASH) {
      let nameEnd = i + 2;
      while (nameEnd < j && !isSpace(buf[nameEnd])) nameEnd++;
      handler.close(tagCode(buf, i + 2, nameEnd));
    } else {
      let nameEnd = i + 1;
      while (nameEnd < j && !isSpace(buf[nameEnd]) && buf[nameEnd] !== SLASH) nameEnd++;
      const selfClosing = buf[j - 1] === SLASH;
      const code = tagCode(buf, i + 1, nameEnd);
      handler.open(code, buf, nameEnd, selfClosing ? j - 1 : j, selfClosing);
      if (selfClosing) handler.close(code);
    }
    i = j + 1;
  }
  return i;
}

/** Runs a handler over a part (checked for pollution on the way) until it is done. */
async function scanPart(entry, handler) {
  const scanner = xmlScanner(handler);
  const guard = pollutionGuard();
  for await (const chunk of partChunks(entry)) {
    guard(chunk);
    if (!handler.done) scanner.push(chunk);
    if (handler.stop) return; // nothing more is wanted from this part
  }
  if (!handler.done) scanner.end();
}

/** The elements of a small part with this code: the wanted attributes of each. */
async function findElements(entry, code, wanted) {
  const found = [];
  await scanPart(entry, {
    wantsText: false,
    open(tag, buf, start, end) {
      if (tag === code) found.push(wanted.map((w) => attribute(buf, start, end, w)));
    },
    close() {},
  });
  return found;
}

/** The workbook part: its first sheet (name, relationship id) and date system; not a workbook: refused. */
async function readBook(entry) {
  let isBook = false;
  let first;
  let date1904 = false;
  await scanPart(entry, {
    wantsText: false,
    open(tag, buf, start, end) {
      if (tag === WORKBOOK) isBook = true;
      else if (tag === SHEET && !first) first = { name: attribute(buf, start, end, 'name') ?? '', id: attribute(buf, start, end, 'id') };
      else if (tag === WORKBOOK_PR) date1904 = /^(1|true)$/i.test(attribute(buf, start, end, 'date1904') ?? '');
    },
    close() {},
  });
  if (!isBook) throw new Refusal('notWorkbook');
  if (!first) throw new Refusal('noSheet');
  return { first, date1904 };
}

// ---- the package ------------------------------------------------------------------------------

/** A relationship target, resolved against the folder of the part that names it. */
function resolveTarget(fromPart, target) {
  if (target.startsWith('/')) return target.slice(1).toLowerCase();
  const parts = fromPart.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/').toLowerCase();
}

async function relationships(entries, part) {
  const slash = part.lastIndexOf('/');
  const relsName = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  const rels = entries.get(relsName);
  if (!rels) return [];
  const found = await findElements(rels, RELATIONSHIP, ['Id', 'Type', 'Target']);
  return found.filter(([id, , target]) => id && target).map(([id, type, target]) => ({ id, type: type ?? '', target: resolveTarget(part, target) }));
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date or time (its codes outside quotes, brackets and escapes). */
function isDateFormat(code) {
  const bare = code.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '').replace(/[_*]./g, '');
  return /[dmyhs]/i.test(bare);
}

/** For each cell style index (s="…"), whether it formats numbers as dates. */
async function dateStyles(entry) {
  if (!entry) return [];
  const custom = new Map();
  const styles = [];
  let inCellXfs = false;
  await scanPart(entry, {
    wantsText: false,
    open(tag, buf, start, end) {
      if (tag === NUMBER_FORMAT) custom.set(integerAttribute(buf, start, end, 'numFmtId'), attribute(buf, start, end, 'formatCode') ?? '');
      else if (tag === CELL_XFS) inCellXfs = true;
      else if (tag === XF && inCellXfs) styles.push(integerAttribute(buf, start, end, 'numFmtId') || 0);
    },
    close(tag) {
      if (tag === CELL_XFS) inCellXfs = false;
    },
  });
  return styles.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)) : BUILTIN_DATE_FORMATS.has(id)));
}

/** Shared strings (t="s" cells): each <si>'s text runs, phonetic guides (<rPh>) left out. */
async function sharedStrings(entry) {
  if (!entry) return [];
  const strings = [];
  let parts = null;
  let inPhonetic = false;
  let inText = false;
  const handler = {
    get wantsText() {
      return inText;
    },
    open(tag) {
      if (tag === STRING_ITEM) parts = [];
      else if (tag === PHONETIC) inPhonetic = true;
      else if (tag === TEXT && parts && !inPhonetic) inText = true;
    },
    close(tag) {
      if (tag === TEXT) inText = false;
      else if (tag === PHONETIC) inPhonetic = false;
      else if (tag === STRING_ITEM && parts) {
        const text = parts.join('');
        countChars(text.length);
        strings.push(text);
        parts = null;
      }
    },
    text(buf, start, end) {
      parts.push(decodeText(buf, start, end));
    },
    cdata(text) {
      parts.push(text);
    },
  };
  await scanPart(entry, handler);
  return strings;
}

// ---- cells ------------------------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, '0');

/** An Excel date serial → YYYY-MM-DD (the calendar day; 1900 or 1904 date system). */
function serialDate(serial, date1904) {
  const day = Math.floor(Math.round(serial * 86400) / 86400) + (date1904 ? 1462 : 0);
  if (day === 60) return '1900-02-29'; // Excel's fictitious day: refused later as not a date
  // Before 1900-03-01 Excel counts from 1899-12-31; after its leap-day bug, from 1899-12-30.
  return new Date(Date.UTC(1899, 11, day < 60 ? 31 : 30) + day * 86400000).toISOString().slice(0, 10);
}

/** A date cell's ISO text (t="d") → its calendar day in this machine's time zone, as SheetJS read it. */
function isoDate(text) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A number cell as text: dates as YYYY-MM-DD, integers too long for a double flagged (an ID number typed as a number). */
function numberText(raw, isDate, date1904) {
  const value = Number(raw);
  if (raw === '' || Number.isNaN(value)) return raw;
  if (isDate && value >= 1 && value < 2958466) return serialDate(value, date1904);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return `#BIGNUMBER:${value}`;
  return String(value);
}

/** The column index of the cell reference at buf[start, end) (A → 0, AB → 27), or -1. */
function columnAt(buf, start, end) {
  let n = 0;
  let i = start;
  for (; i < end; i++) {
    const c = buf[i];
    if (c >= 0x41 && c <= 0x5a) n = n * 26 + (c - 0x40);
    else if (c >= 0x61 && c <= 0x7a) n = n * 26 + (c - 0x60);
    else break;
  }
  return i === start || n > 16384 ? -1 : n - 1;
}

// Cell types (t="…"): a number when absent.
const NUMBER = 0;
const SHARED = 1;
const INLINE_STRING = 2;
const FORMULA_STRING = 3;
const BOOLEAN = 4;
const DATE = 5;
const ERROR = 6;

function cellTypeAt(buf, start, end) {
  const length = end - start;
  const first = buf[start];
  if (length === 1) return first === 0x73 ? SHARED : first === 0x62 ? BOOLEAN : first === 0x64 ? DATE : first === 0x65 ? ERROR : NUMBER;
  if (length === 3 && first === 0x73) return FORMULA_STRING; // str
  if (length === 9 && first === 0x69) return INLINE_STRING; // inlineStr
  return NUMBER;
}

/**
 * The first sheet's rows, streamed: calls emit(rowNumber, cells) for each row with a value.
 * Returns whether rows were left unread (more than maxRows + 1).
 */
async function readSheet(entry, { strings, dateStyle, date1904, maxRows, maxColumns, emit, onSize }) {
  let inSheetData = false;
  let rowNumber = 0;
  let cells = null;
  let filled = false;
  let column = -1;
  let type = NUMBER;
  let style = 0;
  let value = null; // text of <v>
  let inline = null; // text runs of <is>
  let inPhonetic = false;
  let capture = 0; // 1: <v>, 2: <t> of an inline string
  let rows = 0;
  let rowChars = 0;
  let rowText = 0;
  let truncated = false;

  const handler = {
    done: false,
    get wantsText() {
      return capture !== 0;
    },
    open(tag, buf, start, end, selfClosing) {
      if (!inSheetData) {
        if (tag === SHEET_DATA) inSheetData = !selfClosing;
        else if (tag === DIMENSION) {
          const ref = attribute(buf, start, end, 'ref') ?? '';
          const last = Number(/(\d+)$/.exec(ref)?.[1] ?? 0);
          if (last > 0) onSize(last);
        }
        return;
      }
      if (tag === CELL) {
        const ref = findAttribute(buf, start, end, 'r');
        column = ref >= 0 ? columnAt(buf, ref, valueEnd) : column + 1;
        const t = findAttribute(buf, start, end, 't');
        type = t >= 0 ? cellTypeAt(buf, t, valueEnd) : NUMBER;
        style = integerAttribute(buf, start, end, 's') || 0;
        value = null;
        inline = null;
      } else if (tag === VALUE) {
        capture = 1;
        value = '';
      } else if (tag === INLINE) inline = [];
      else if (tag === PHONETIC) inPhonetic = true;
      else if (tag === TEXT && inline && !inPhonetic) capture = 2;
      else if (tag === ROW) {
        const r = integerAttribute(buf, start, end, 'r');
        rowNumber = r > rowNumber ? r : rowNumber + 1;
        cells = [];
        rowChars = 0;
        rowText = 0;
        filled = false;
        column = -1;
      }
    },
    close(tag) {
      if (!inSheetData) return;
      if (tag === VALUE || tag === TEXT) capture = 0;
      else if (tag === PHONETIC) inPhonetic = false;
      else if (tag === CELL) {
        if (column < 0 || column >= maxColumns || !cells) return;
        let text = '';
        if (type === INLINE_STRING) text = inline ? inline.join('') : (value ?? '');
        else if (value === null) text = '';
        else if (type === SHARED) text = strings[Number(value)] ?? '';
        else if (type === NUMBER) text = numberText(value.trim(), dateStyle[style] === true, date1904);
        else if (type === BOOLEAN) text = value.trim() === '1' ? 'true' : 'false';
        else if (type === DATE) text = isoDate(value.trim());
        else text = value; // str, e: the text as cached
        if (text !== '') {
          while (cells.length < column) cells.push('');
          cells[column] = text;
          rowChars += text.length;
          filled = true;
        }
      } else if (tag === ROW) {
        if (filled) {
          rows += 1;
          if (rows > maxRows + 1) {
            truncated = true;
            handler.done = true;
            handler.stop = true;
            return;
          }
          emit(rowNumber, cells, rowChars);
        }
        cells = null;
      } else if (tag === SHEET_DATA) {
        inSheetData = false;
        handler.done = true;
      }
    },
    text(buf, start, end) {
      const text = decodeText(buf, start, end);
      captured(text.length);
      if (capture === 1) value += text;
      else inline.push(text);
    },
    cdata(text) {
      captured(text.length);
      if (capture === 1) value += text;
      else inline.push(text);
    },
  };
  // One cell's text can be long before its row ends (a crafted <v> of hundreds of megabytes):
  // it counts against the cap as it is read, not only once its row is handed over.
  const captured = (n) => {
    rowText += n;
    if (chars + rowText > maxChars) throw new Refusal('tooMuchText');
  };
  await scanPart(entry, handler);
  return truncated;
}

// ---- the workbook -----------------------------------------------------------------------------

async function run() {
  const { bytes, maxRows, maxColumns } = workerData;
  const data = Buffer.from(bytes);
  const entries = zipEntries(data);

  // Every XML part is checked for pollution, read or not (the first sheet's as it is read).
  const root = (await relationships(entries, '')).find((r) => r.type.endsWith('/officeDocument'));
  const bookName = root?.target ?? 'xl/workbook.xml';
  const book = entries.get(bookName);
  if (!book) throw new Refusal('notWorkbook');
  const { first, date1904 } = await readBook(book);
  const rels = await relationships(entries, bookName);
  const sheetPart = rels.find((r) => r.id === first.id)?.target;
  const sheet = sheetPart ? entries.get(sheetPart) : undefined;
  if (!sheet) throw new Refusal('noSheet');
  const stringsPart = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const stylesPart = rels.find((r) => r.type.endsWith('/styles'))?.target;
  const strings = await sharedStrings(stringsPart ? entries.get(stringsPart) : undefined);
  const dateStyle = await dateStyles(stylesPart ? entries.get(stylesPart) : undefined);
  for (const entry of entries.values()) {
    if (entry === sheet || entry.name === stringsPart || entry.name === stylesPart || entry === book) continue;
    if (/\.(xml|rels|vml)$/.test(entry.name)) await scanPart(entry, { wantsText: false, done: true, open() {}, close() {} });
  }

  let batch = [];
  let batchChars = 0;
  const truncated = await readSheet(sheet, {
    strings,
    dateStyle,
    date1904,
    maxRows,
    maxColumns,
    emit(row, cells, rowChars) {
      // Shared strings were counted once when read; each cell that repeats one is counted again
      // here, since each becomes its own copy on the parent's side.
      countChars(rowChars);
      batch.push({ row, cells });
      batchChars += rowChars;
      if (batch.length >= BATCH || batchChars >= BATCH_CHARS) {
        send(batch);
        batch = [];
        batchChars = 0;
      }
    },
    onSize(rows) {
      parentPort.postMessage({ type: 'size', rows });
    },
  });
  if (batch.length) send(batch);
  return { type: 'done', sheetName: first.name, truncated };
}

let result;
try {
  result = await run();
} catch (error) {
  result = { type: 'refused', reason: error instanceof Refusal ? error.reason : 'notWorkbook' };
}
parentPort.postMessage(result);
