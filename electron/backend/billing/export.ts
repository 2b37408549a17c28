import { CUSTOMER_CLASSES } from '../../../shared/customers/classes';
import { translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { billLineLabel } from '../../../shared/billing';
import { fenToYuan, formatCenti } from '../../../shared/money';
import type { ReadableDB } from '../db/store';
import { billingSummary, listBills } from './queries';

// The period's totals as a workbook (导出): by book, class and tariff. For one book the workbook
// also lists its bills and their lines (a book is a few hundred bills; the whole station's
// 100,000 bills and lines would hold the back end for minutes — `griddesk bills list --json`
// gives those). The workbook is written from our own data, so the xlsx advisories (which
// concern parsing untrusted files) do not apply here. Amounts are numbers in yuan with 2
// decimals (exact: every amount is n/100) and kWh with up to 2 decimals, so the office can sum
// them in the spreadsheet.

const yuan = (fen: number) => Number(fenToYuan(fen));
const kwh = (centi: number) => Number(formatCenti(centi));

export async function exportPeriod(db: ReadableDB, period: string, locale: Locale, book?: { id: string; bookNo: string }): Promise<{ fileName: string; base64: string }> {
  // Loaded when a workbook is asked for: xlsx takes a second or two to load, which every start of
  // the CLI and the app would otherwise pay.
  const XLSX = await import('xlsx');
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const summary = billingSummary(db, period, book?.id);
  const className = (c: string) => ((CUSTOMER_CLASSES as readonly string[]).includes(c) ? t(`billing.class.${c}` as MessageKey) : c);
  const head = [t('billing.summary.group'), t('billing.summary.name'), t('billing.summary.bills'), t('billing.summary.kwh'), t('billing.summary.amount')];
  const totalsSheet: (string | number)[][] = [[t('billing.export.title', { period })], []];
  const section = (title: string, rows: typeof summary.byBook, group: (r: (typeof rows)[number]) => string, label: (r: (typeof rows)[number]) => string) => {
    totalsSheet.push([title], head);
    for (const r of rows) totalsSheet.push([group(r), label(r), r.bills, kwh(r.kwh), yuan(r.amountFen)]);
    totalsSheet.push([]);
  };
  section(t('billing.summary.byBook'), summary.byBook, (r) => r.label.split(' ')[0] ?? '', (r) => r.label.split(' ').slice(1).join(' '));
  section(t('billing.summary.byClass'), summary.byClass, (r) => r.key, (r) => className(r.key));
  section(t('billing.summary.byTariff'), summary.byTariff, (r) => r.key, (r) => r.label);
  totalsSheet.push([t('billing.summary.total'), '', summary.totals.bills, kwh(summary.totals.kwh), yuan(summary.totals.amountFen)]);

  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(totalsSheet), t('billing.export.sheetTotals'));
  if (!book) {
    return { fileName: `${t('billing.export.fileName')}-${period}.xlsx`, base64: XLSX.write(workbook, { type: 'base64', bookType: 'xlsx', compression: true }) as string };
  }
  const { rows } = listBills(db, { period, bookId: book.id, includeLines: true, limit: 100_000, offset: 0 });
  const billsSheet: (string | number | null)[][] = [
    [
      t('billing.bill.billNo'),
      t('billing.bill.account'),
      t('billing.bill.customer'),
      t('billing.bill.class'),
      t('billing.bill.book'),
      t('billing.bill.tariff'),
      t('billing.bill.kwh'),
      t('billing.bill.total'),
      t('billing.bill.status'),
      t('billing.bill.dueDate'),
    ],
  ];
  const linesSheet: (string | number | null)[][] = [
    [t('billing.bill.billNo'), t('billing.bill.account'), t('billing.line.no'), t('billing.line.item'), t('billing.line.quantity'), t('billing.line.unit'), t('billing.line.price'), t('billing.line.amount')],
  ];
  for (const b of rows) {
    billsSheet.push([b.billNo, b.accountNo, b.customerName, className(b.customerClass), b.bookNo, b.tariffCode, kwh(b.kwh), yuan(b.totalFen), t(`billing.status.${b.status}`), b.dueDate]);
    for (const l of b.lines ?? []) {
      linesSheet.push([b.billNo, b.accountNo, l.lineNo, billLineLabel(l, locale), l.quantity === null ? null : kwh(l.quantity), l.unit, l.unitPrice, yuan(l.amountFen)]);
    }
  }
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(billsSheet), t('billing.export.sheetBills'));
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(linesSheet), t('billing.export.sheetLines'));
  const base64 = XLSX.write(workbook, { type: 'base64', bookType: 'xlsx', compression: true }) as string;
  return { fileName: `${t('billing.export.fileName')}-${period}-${book.bookNo}.xlsx`, base64 };
}
