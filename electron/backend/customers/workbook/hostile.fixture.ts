// Hostile workbooks for tests and benches (issue 15, item 2): small files that would become
// gigabytes once read naively. Not used by the app.
import XLSX from 'xlsx';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

/** A zip of these parts, deflated, with real CRCs (what any unzip tool accepts). */
export function zipParts(parts: Record<string, string | Buffer | { deflated: Buffer; size: number }>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [text, content] of Object.entries(parts)) {
    const pre = typeof content === 'object' && 'deflated' in content ? content : undefined;
    const raw = pre ? Buffer.alloc(0) : typeof content === 'string' ? Buffer.from(content, 'utf8') : (content as Buffer);
    const data = pre ? pre.deflated : deflateRawSync(raw, { level: 9 });
    const name = Buffer.from(text);
    const crc = pre ? 0 : crc32(raw); // a pre-deflated part's CRC is left 0 (the reader does not check it)
    const rawSize = pre ? pre.size : raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(rawSize >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(rawSize >>> 0, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(header, name);
    offset += 30 + name.length + data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface SharedStringBomb {
  /** Data rows under the header (100,000 as found in the field). */
  rows?: number;
  /** Cells per data row naming the long string (1: the 448 KB file; 2: the 886 KB one). */
  cellsPerRow?: number;
  /** Characters of the one shared string (Excel's own limit per cell is 32,767). */
  chars?: number;
  /** The header row's words (the customer or handheld columns, so the import reads on). */
  header?: string[];
}

/**
 * A workbook whose data rows all name one long shared string: ~450 KB on disk (100,000 rows,
 * one cell each), ~6.5 GB of text if every cell is copied out. The header uses shared strings
 * 1…n; every data cell is string 0, a CJK text of `chars` characters.
 */
export function sharedStringBomb(options: SharedStringBomb = {}): Buffer {
  const { rows = 100_000, cellsPerRow = 1, chars = 32_767, header = ['户名', '乡镇', '村', '台区', '用电类别'] } = options;
  const long = '电'.repeat(chars);
  const strings = [long, ...header];
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${rows * cellsPerRow + header.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${xmlText(s)}</t></si>`).join('')}</sst>`;
  const col = (i: number) => String.fromCharCode(65 + (i % 26));
  const sheet: string[] = [
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:${col(Math.max(cellsPerRow, header.length) - 1)}${rows + 1}"/><sheetData>`,
    `<row r="1">${header.map((_, i) => `<c r="${col(i)}1" t="s"><v>${i + 1}</v></c>`).join('')}</row>`,
  ];
  for (let r = 2; r <= rows + 1; r++) {
    let cells = '';
    for (let c = 0; c < cellsPerRow; c++) cells += `<c r="${col(c)}${r}" t="s"><v>0</v></c>`;
    sheet.push(`<row r="${r}">${cells}</row>`);
  }
  sheet.push('</sheetData></worksheet>');
  return zipParts({ ...packageParts(), 'xl/worksheets/sheet1.xml': sheet.join(''), 'xl/sharedStrings.xml': sst });
}

/** The parts every workbook here has: content types, relationships, the workbook naming sheet1. */
function packageParts(): Record<string, string> {
  return {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
  };
}

/**
 * A zip bomb: a one-row workbook with one more part that unpacks to `megabytes` of spaces,
 * deflated as it is made (never held whole), under a megabyte on disk for 600 MB.
 */
export async function zipBomb(megabytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const megabyte = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < megabytes; i++) if (!deflate.write(megabyte)) await new Promise((resolve) => deflate.once('drain', resolve));
  deflate.end();
  await done;
  return zipParts({
    ...packageParts(),
    'xl/worksheets/sheet1.xml': '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c t="inlineStr"><is><t>户名</t></is></c></row></sheetData></worksheet>',
    'xl/big.xml': { deflated: Buffer.concat(out), size: Math.min(megabytes * 1024 * 1024, 0xffffffff) },
  });
}

/**
 * What Excel writes when a workbook is saved with a password: an OLE compound file (not a zip)
 * holding EncryptionInfo and EncryptedPackage streams. Written with SheetJS's CFB writer; the
 * streams' contents are stand-ins (the reader only needs to know what the file is).
 */
export function encryptedWorkbook(): Buffer {
  const cfb = XLSX.CFB.utils.cfb_new();
  XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]));
  XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(8192, 0x5a));
  return XLSX.CFB.write(cfb, { type: 'buffer', fileType: 'cfb' }) as Buffer;
}

/** An old binary .xls (also a compound file, with a Workbook stream). */
export function oldXls(): Buffer {
  const cfb = XLSX.CFB.utils.cfb_new();
  XLSX.CFB.utils.cfb_add(cfb, '/Workbook', Buffer.alloc(8192, 0x11));
  return XLSX.CFB.write(cfb, { type: 'buffer', fileType: 'cfb' }) as Buffer;
}

export interface ChildRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The child's peak resident memory (VmHWM, MB), read from /proc while it ran (Linux). */
  peakRssMb: number;
  ms: number;
}

/**
 * Runs a command as a real child process and samples its peak resident memory (threads
 * included: the workbook reader is a worker thread of the same process) every 20 ms from
 * /proc/PID/status. VmHWM only grows, so the last sample before exit is the peak, short of the
 * last 20 ms.
 */
export function runMeasured(command: string, args: string[], options: MeasuredOptions = {}): Promise<ChildRun> {
  return spawnMeasured(command, args, options).promise;
}

export interface MeasuredOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Each piece of the child's stdout, as it comes (a server prints its URL). */
  onStdout?(text: string): void;
}

/** runMeasured, with a way to stop the child (SIGTERM) before it ends by itself. */
export function spawnMeasured(command: string, args: string[], options: MeasuredOptions = {}): { promise: Promise<ChildRun>; stop(): void } {
  // Without the in-process test runner's switch (cli/testing.ts), so the CLI runs.
  const { GRIDDESK_CLI_NO_AUTORUN: _, ...env } = options.env ?? process.env;
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const promise = new Promise<ChildRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onStdout?.(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peakKb = 0;
    const sample = () => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // gone already
      }
    };
    const timer = setInterval(sample, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(timer);
      clearTimeout(killer);
      child.once('close', () => resolve({ code, signal, stdout, stderr, peakRssMb: Math.round(peakKb / 1024), ms: Math.round(performance.now() - started) }));
    });
  });
  return { promise, stop: () => child.kill('SIGTERM') };
}
