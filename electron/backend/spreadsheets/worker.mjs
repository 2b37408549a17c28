// Parses one untrusted workbook in a worker thread (DESIGN.md "Spreadsheets"): xlsx 0.18.5 has a
// prototype-pollution advisory (CVE-2023-30533) and a ReDoS one (CVE-2024-22363), so this thread
// freezes Object.prototype before parsing, is killed by its parent after a time limit, and sends
// back only the text of the first sheet's cells within the row and column limits. Plain
// JavaScript, so it runs under any host (tsx, vitest, Electron) without a loader.
import { parentPort, workerData } from 'node:worker_threads';
import XLSX from 'xlsx';

Object.freeze(Object.prototype);
Object.freeze(Array.prototype);

const { bytes, maxRows, maxColumns } = workerData;

function pad(n) {
  return String(n).padStart(2, '0');
}

/** A cell as the text a clerk would read in it. */
function cellText(cell) {
  if (!cell) return '';
  switch (cell.t) {
    case 'n':
      if (cell.z && XLSX.SSF.is_date(cell.z)) {
        // A date cell: its calendar date, from the serial number (no time zone involved).
        const d = XLSX.SSF.parse_date_code(cell.v);
        if (d) return `${d.y}-${pad(d.m)}-${pad(d.d)}`;
      }
      return String(cell.v);
    case 's':
      return String(cell.v ?? '').trim();
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    default:
      return cell.w === undefined ? '' : String(cell.w).trim();
  }
}

try {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const book = XLSX.read(buffer, {
    type: 'buffer',
    dense: true,
    cellNF: true,
    cellHTML: false,
    cellFormula: false,
    cellStyles: false,
    bookVBA: false,
    sheetRows: maxRows + 1,
  });
  const name = book.SheetNames[0];
  const sheet = name === undefined ? undefined : book.Sheets[name];
  if (!sheet) {
    parentPort.postMessage({ ok: true, sheet: name ?? '', rows: [], truncated: false });
  } else {
    const full = XLSX.utils.decode_range(sheet['!fullref'] ?? sheet['!ref'] ?? 'A1:A1');
    const range = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1:A1');
    const lastColumn = Math.min(range.e.c, maxColumns - 1);
    const rows = [];
    for (let r = 0; r <= Math.min(range.e.r, maxRows); r++) {
      const source = sheet[r] ?? [];
      const row = [];
      for (let c = 0; c <= lastColumn; c++) row.push(cellText(source[c]));
      rows.push(row);
    }
    parentPort.postMessage({ ok: true, sheet: name, rows, truncated: full.e.r > maxRows });
  }
} catch (error) {
  parentPort.postMessage({ ok: false, reason: String(error && error.message ? error.message : error).slice(0, 200) });
}
