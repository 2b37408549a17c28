import type { ArrearsRow, ClosingReport } from '../../../shared/contract/collection';
import { translate, type Locale } from '../../../shared/i18n';
import { fenToYuan } from '../../../shared/money';
import { shanghaiDateTime } from '../../../shared/time';
import { writeWorkbook } from '../customers/workbook/write';

// The collection desk's spreadsheets, headed in the caller's language: the daily closing report
// (日结报表) and the arrears list (欠费清单). Written by the customer files' workbook writer: every
// cell is text, so amounts stay exact yuan with two decimals ("210.03").

const yuan = fenToYuan;

export async function closingWorkbook(report: ClosingReport, locale: Locale): Promise<{ fileName: string; base64: string }> {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const clerk = `${report.clerk.staffNo} ${report.clerk.name}`;
  const totals = [
    [report.station.name, report.station.code],
    [t('closing.clerk'), clerk],
    [t('closing.businessDate'), report.businessDate],
    [t('closing.closedAt'), shanghaiDateTime(report.closedAt)],
    [t('closing.receipts'), report.firstReceiptNo ? `${report.firstReceiptNo} – ${report.lastReceiptNo}` : ''],
    [],
    [t('collection.channel'), t('closing.paymentCount'), t('closing.payments'), t('closing.reversalCount'), t('closing.reversals'), t('closing.net')],
    ...report.byChannel.map((c) => [t(`collection.channel.${c.channel}`), String(c.paymentCount), yuan(c.paymentsFen), String(c.reversalCount), yuan(c.reversalsFen), yuan(c.netFen)]),
    [t('closing.net'), String(report.paymentCount), yuan(report.paymentsFen), String(report.reversalCount), yuan(report.reversalsFen), yuan(report.netFen)],
    [],
    [t('closing.openingFloat'), yuan(report.openingFloatFen)],
    [t('closing.expectedCash'), yuan(report.expectedCashFen)],
    [t('closing.countedCash'), yuan(report.countedCashFen)],
    [t('closing.difference'), yuan(report.differenceFen), report.reason],
    [t('closing.signedOffBy'), report.signedOff ? `${report.signedOff.by} ${shanghaiDateTime(report.signedOff.at)}` : ''],
  ];
  const payments = [
    [t('collection.receiptNo'), t('collection.time'), t('collection.accountNo'), t('collection.customerName'), t('collection.channel'), t('collection.amount'), t('collection.status')],
    ...report.payments.map((p) => [p.receiptNo, shanghaiDateTime(p.postedAt), p.accountNo, p.customerName, t(`collection.channel.${p.channel}`), yuan(p.amountFen), t(`collection.status.${p.status}`)]),
  ];
  const reversals = [
    [t('collection.receiptNo'), t('collection.time'), t('collection.accountNo'), t('collection.customerName'), t('collection.channel'), t('collection.amount'), t('collection.reason'), t('collection.approvedBy'), t('collection.paymentDay')],
    ...report.reversals.map((r) => [r.receiptNo, shanghaiDateTime(r.approvedAt), r.accountNo, r.customerName, t(`collection.channel.${r.channel}`), yuan(r.amountFen), r.reason, r.approvedBy, r.paymentBusinessDate]),
  ];
  return {
    fileName: `日结-${report.clerk.staffNo}-${report.businessDate}.xlsx`,
    base64: (
      await writeWorkbook([
        { name: t('closing.sheetTotals'), rows: totals, widths: [18, 14, 14, 14, 14, 14] },
        { name: t('closing.sheetPayments'), rows: payments, widths: [18, 20, 14, 12, 18, 12, 12] },
        { name: t('closing.sheetReversals'), rows: reversals, widths: [18, 20, 14, 12, 18, 12, 24, 14, 12] },
      ])
    ).toString('base64'),
  };
}

export async function arrearsWorkbook(rows: readonly ArrearsRow[], asOf: string, locale: Locale): Promise<{ fileName: string; base64: string }> {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const sheet = [
    [
      t('collection.accountNo'), t('collection.customerName'), t('arrears.phone'), t('arrears.address'), t('arrears.transformerArea'),
      t('arrears.book'), t('arrears.periods'), t('arrears.principal'), t('arrears.penalty'), t('arrears.total'), t('arrears.oldestDue'),
      t('arrears.daysOverdue'), t('arrears.lastReminder'), t('arrears.eligible'),
    ],
    ...rows.map((r) => [
      r.accountNo, r.name, r.phone, r.address, r.transformerArea, r.book ? `${r.book.bookNo} ${r.book.name}` : '', r.periods.join(' '),
      yuan(r.principalFen), yuan(r.penaltyFen), yuan(r.totalFen), r.oldestDueDate, String(r.daysOverdue), r.lastReminderDate ?? '',
      r.eligible ? translate(locale, 'common.yes') : translate(locale, 'common.no'),
    ]),
  ];
  return {
    fileName: `欠费清单-${asOf}.xlsx`,
    base64: (await writeWorkbook([{ name: t('arrears.sheet'), rows: sheet, widths: [14, 10, 14, 28, 10, 16, 24, 12, 10, 12, 12, 8, 12, 8] }])).toString('base64'),
  };
}
