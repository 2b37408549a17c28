// Score sheets (考核方案): head-office policy, loaded by the administrator today and by the
// head-office reference-data pack later (both call `loadScoreSheet`). A version (code +
// effectiveFrom) never changes once loaded: the same content again is a no-op, different
// content is refused. A file is checked whole; one problem loads nothing.
import { createHash } from 'node:crypto';
import { checkScoreSheetFile, scoreSheetSchema, type ScoreSheet } from '../../../shared/appraisal';
import { codedList, type CodedMessage } from '../../../shared/i18n/coded';
import { fileMessage, notJson } from '../../../shared/referenceFile';
import type { Unit } from '../audit/record';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';

type Status = 'new' | 'same' | 'conflict';

export interface SheetFilePlan {
  ok: boolean;
  /** Coded (shared/referenceFile.ts): the handler renders them in the caller's language. */
  problems: CodedMessage[];
  sheets: { sheet: ScoreSheet; status: Status }[];
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Checks a sheet file (text or parsed JSON) and says for each sheet whether it is new, already loaded, or a conflicting edit. */
export function planSheetFile(db: ReadableDB, file: string | unknown): SheetFilePlan {
  let data: unknown = file;
  if (typeof file === 'string') {
    try {
      data = JSON.parse(file);
    } catch (error) {
      return { ok: false, problems: [notJson(error, file)], sheets: [] };
    }
  }
  const checked = checkScoreSheetFile(data);
  if (!checked.ok) return { ok: false, problems: checked.problems, sheets: [] };
  const problems: CodedMessage[] = [];
  const sheets = checked.sheets.map((sheet) => {
    const existing = db.value<string>(sql`SELECT definition FROM appraisal_sheets WHERE code = ${sheet.code} AND effective_from = ${sheet.effectiveFrom}`);
    const status: Status = existing === undefined ? 'new' : canonical(JSON.parse(existing)) === canonical(sheet) ? 'same' : 'conflict';
    if (status === 'conflict') problems.push(fileMessage('sheet.conflict', { code: sheet.code, from: sheet.effectiveFrom, field: 'effectiveFrom' }));
    return { sheet, status };
  });
  return { ok: problems.length === 0, problems, sheets };
}

/**
 * Loads score sheets inside the caller's write (the administrator's import, or head office's
 * reference-data pack): every new version, or nothing when any problem is found (the refusal
 * names the sheet, item and field). `json` is the file's text or its parsed JSON.
 */
export function loadScoreSheet(unit: Unit, json: string | unknown, source?: string): { loaded: number; unchanged: number; sheets: { code: string; effectiveFrom: string; status: Status }[] } {
  const plan = planSheetFile(unit, json);
  if (!plan.ok) throw refuse('appraisal.err.sheetFile', { count: plan.problems.length, problems: codedList('problems', plan.problems) });
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  const sha256 = createHash('sha256').update(text).digest('hex');
  let loaded = 0;
  for (const { sheet, status } of plan.sheets) {
    if (status !== 'new') continue;
    unit.run(sql`
      INSERT INTO appraisal_sheets (code, effective_from, name, full_score, definition, imported_at, imported_by, source_sha256)
      VALUES (${sheet.code}, ${sheet.effectiveFrom}, ${sheet.name}, ${sheet.fullScore}, ${JSON.stringify(sheet)}, ${unit.at}, ${unit.actor.staffId}, ${sha256})`);
    unit.record({
      action: 'appraisal.sheetImport',
      entity: 'appraisal_sheet',
      entityId: `${sheet.code}@${sheet.effectiveFrom}`,
      op: 'insert',
      summary: { code: sheet.code, effectiveFrom: sheet.effectiveFrom, name: sheet.name, fullScore: sheet.fullScore, source: source ?? null },
      payload: { ...sheet, sourceSha256: sha256 },
    });
    loaded += 1;
  }
  return {
    loaded,
    unchanged: plan.sheets.filter((s) => s.status === 'same').length,
    sheets: plan.sheets.map((s) => ({ code: s.sheet.code, effectiveFrom: s.sheet.effectiveFrom, status: s.status })),
  };
}

const parsedCache = new Map<string, ScoreSheet>();
function parseSheet(text: string): ScoreSheet {
  let sheet = parsedCache.get(text);
  if (!sheet) {
    sheet = scoreSheetSchema.parse(JSON.parse(text));
    parsedCache.set(text, sheet);
  }
  return sheet;
}

/** A loaded version, exactly. */
export function sheetVersion(db: ReadableDB, code: string, effectiveFrom: string): ScoreSheet | undefined {
  const text = db.value<string>(sql`SELECT definition FROM appraisal_sheets WHERE code = ${code} AND effective_from = ${effectiveFrom}`);
  return text === undefined ? undefined : parseSheet(text);
}

/** The version of a sheet in force for a month: the newest that took effect on or before it. */
export function sheetInForce(db: ReadableDB, code: string, period: string): ScoreSheet | undefined {
  const text = db.value<string>(sql`SELECT definition FROM appraisal_sheets WHERE code = ${code} AND effective_from <= ${period} ORDER BY effective_from DESC LIMIT 1`);
  return text === undefined ? undefined : parseSheet(text);
}

export function listSheets(db: ReadableDB, period: string) {
  const rows = db.all<{ code: string; effective_from: string; name: string; full_score: number; definition: string; imported_at: number; by: string | null }>(sql`
    SELECT a.code, a.effective_from, a.name, a.full_score, a.definition, a.imported_at, s.name AS by
    FROM appraisal_sheets a LEFT JOIN staff s ON s.id = a.imported_by ORDER BY a.code, a.effective_from DESC`);
  return rows.map((r) => {
    const sheet = parseSheet(r.definition);
    return {
      code: r.code,
      effectiveFrom: r.effective_from,
      name: r.name,
      fullScore: r.full_score,
      areas: sheet.areas.length,
      items: sheet.areas.reduce((s, a) => s + a.items.length, 0),
      pay: sheet.pay,
      importedAt: r.imported_at,
      importedBy: r.by,
      inForce: sheetInForce(db, r.code, period)?.effectiveFrom === r.effective_from,
      definition: sheet,
    };
  });
}
