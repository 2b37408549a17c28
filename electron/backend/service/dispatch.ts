// 95598 dispatches (派单) from head office: rows of a reference pack ('workOrder') or of an xlsx
// file in the documented format (docs/service.md "Dispatch file"). Each row is checked on its own:
// a row for another station, naming an unknown customer, or already taken is refused with its row
// number, field and reason; the good rows become orders in the same transaction.
import { checkDispatchRow, DISPATCH_COLUMNS, type DispatchField, type DispatchRow } from '../../../shared/service';
import type { MessageKey } from '../../../shared/i18n';
import type { Unit } from '../audit/record';
import { sql } from '../db/sql';
import { refuse } from '../errors';
import { readWorkbook, type WorkbookRow } from '../customers/workbook/read';
import { workbookRefusal } from '../customers/workbook/refusal';
import { createOrder, customerByAccount } from './orders';

export interface DispatchRefusal {
  row: number;
  dispatchNo: string;
  field: DispatchField;
  problem: MessageKey;
}

export interface DispatchResult {
  taken: { row: number; dispatchNo: string; orderNo: string }[];
  refused: DispatchRefusal[];
}

export function takeDispatches(unit: Unit, rows: { row: number; data: DispatchRow }[], source: string): DispatchResult {
  const stationCode = unit.value<string>(sql`SELECT code FROM station`) ?? '';
  const seen = new Set<string>();
  const result: DispatchResult = { taken: [], refused: [] };
  for (const { row, data } of rows) {
    const check = checkDispatchRow(data, {
      stationCode,
      accountKnown: (a) => customerByAccount(unit, a) !== undefined,
      alreadyTaken: (n) => seen.has(n) || unit.value(sql`SELECT 1 FROM work_orders WHERE dispatch_no = ${n}`) !== undefined,
    });
    const dispatchNo = String(data.dispatchNo ?? '').trim();
    if (!check.ok || !check.kind || check.receivedMs === undefined) {
      result.refused.push({ row, dispatchNo, field: check.field ?? 'dispatchNo', problem: check.problem ?? 'service.dispatch.missing' });
      continue;
    }
    seen.add(dispatchNo);
    const accountNo = (data.accountNo ?? '').trim();
    const made = createOrder(unit, {
      kind: check.kind,
      source: 'dispatch95598',
      dispatchNo,
      accountNo: accountNo || null,
      contactName: (data.contactName ?? '').trim(),
      contactPhone: (data.contactPhone ?? '').trim(),
      content: data.content,
      // 95598 took the call: the limit runs from then, not from when the station read the file.
      receivedAt: Math.min(check.receivedMs, unit.at),
    });
    result.taken.push({ row, dispatchNo, orderNo: made.orderNo });
  }
  unit.audit({ action: 'service.dispatch.take', entity: 'work_order', summary: { source, taken: result.taken.map((t) => t.dispatchNo), refused: result.refused.map((r) => ({ row: r.row, dispatchNo: r.dispatchNo, field: r.field, problem: r.problem })) } });
  return result;
}

/** Reads a dispatch workbook: the header names the columns (Chinese or English), in any order. */
export async function readDispatchWorkbook(bytes: Uint8Array, fileName: string): Promise<{ row: number; data: DispatchRow }[]> {
  const rows: WorkbookRow[] = [];
  try {
    const read = await readWorkbook(bytes, { maxRows: 5000, onRows: (batch) => rows.push(...batch) });
    if (read.truncated) throw refuse('service.dispatch.tooMany', { max: 5000 });
  } catch (e) {
    workbookRefusal(e, fileName, bytes.byteLength);
  }
  const [header, ...data] = rows;
  const names = (header?.cells ?? []).map((c) => c.trim());
  const index = new Map<DispatchField, number>();
  for (const col of DISPATCH_COLUMNS) {
    const i = names.findIndex((n) => n === col.zh || n.toLowerCase() === col.en.toLowerCase());
    if (i >= 0) index.set(col.key, i);
  }
  const missing = DISPATCH_COLUMNS.filter((c) => !index.has(c.key) && c.key !== 'accountNo' && c.key !== 'contactName' && c.key !== 'contactPhone');
  if (missing.length) throw refuse('service.dispatch.header', { columns: missing.map((c) => c.zh).join('、') });
  const cell = (r: WorkbookRow, k: DispatchField) => {
    const i = index.get(k);
    return i === undefined ? '' : (r.cells[i] ?? '').trim();
  };
  return data
    .filter((r) => r.cells.some((c) => c.trim()))
    .map((r) => ({
      row: r.row,
      data: { dispatchNo: cell(r, 'dispatchNo'), stationCode: cell(r, 'stationCode'), kind: cell(r, 'kind'), receivedAt: cell(r, 'receivedAt'), accountNo: cell(r, 'accountNo'), contactName: cell(r, 'contactName'), contactPhone: cell(r, 'contactPhone'), content: cell(r, 'content') },
    }));
}
