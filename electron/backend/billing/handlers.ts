import { parseCenti } from '../../../shared/money';
import { translate } from '../../../shared/i18n';
import { renderMessage } from '../../../shared/i18n/coded';
import { shanghaiDate } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import type { HandlerGroup } from '../handler';
import { approveCorrection, getCorrection, listCorrections, previewCorrection, rejectCorrection, requestCorrection } from './corrections';
import { exportPeriod } from './export';
import { enterMeterExtras } from './extras';
import { reviewBill, startIssue, voidBill } from './issue';
import { customerBalance, ledgerOf } from './ledger';
import { billingExceptions, billingStatus, billingSummary, billNotices, billRowById, customerBills, getBill, listBills } from './queries';
import { startBillingRun } from './run';
import { billingPolicy, importReferenceFile, listTariffs, planReferenceFile } from './tariffs';

function requireBook(db: ReadableDB, bookId: string | undefined): void {
  if (bookId !== undefined && !db.value(sql`SELECT 1 FROM books WHERE id = ${bookId}`)) throw refuse('billing.unknownBook', { book: bookId }, 'not_found');
}

function requireCustomer(db: ReadableDB, customerId: string): void {
  if (!db.value(sql`SELECT 1 FROM customers WHERE id = ${customerId}`)) throw new AppError('not_found', 'billing.customerNotFound');
}

export const billingHandlers = {
  'tariffs.list': (_input, { backend }) => listTariffs(backend.store.read, backend.now()),
  'tariffs.check': (input, { backend, locale }) => {
    const plan = planReferenceFile(backend.store.read, input.text);
    return {
      ok: plan.ok,
      problems: plan.problems.map((p) => renderMessage(locale, p)),
      tariffs: plan.tariffs.map(({ version, status }) => ({
        code: version.code,
        effectiveFrom: version.effectiveFrom,
        name: version.name,
        customerClass: version.class,
        status,
      })),
      policies: plan.policies.map(({ policy, status }) => ({ effectiveFrom: policy.effectiveFrom, status })),
    };
  },
  'tariffs.import': (input, call) => call.backend.write(call.actor, (unit) => importReferenceFile(unit, input.text, input.fileName)),

  'billing.status': (input, { backend }) => {
    requireBook(backend.store.read, input.bookId);
    return billingStatus(backend.store.read, input.period, input.bookId);
  },
  'billing.run': (input, call) => {
    requireBook(call.backend.store.read, input.bookId);
    return { jobId: startBillingRun(call.backend, call.actor, { period: input.period, bookId: input.bookId }).id };
  },
  'billing.exceptions': (input, { backend, locale }) => {
    requireBook(backend.store.read, input.bookId);
    return billingExceptions(backend.store.read, input.period, input.bookId, locale);
  },
  'billing.issue': (input, call) => {
    requireBook(call.backend.store.read, input.bookId);
    return { jobId: startIssue(call.backend, call.actor, { period: input.period, bookId: input.bookId }).id };
  },
  'billing.enterExtras': (input, call) => {
    if (input.kvarh === undefined && input.maxDemandKw === undefined) throw refuse('billing.extrasNothing');
    requireCustomer(call.backend.store.read, input.customerId);
    const kvarh = input.kvarh === undefined ? null : parseCenti(input.kvarh);
    const maxDemandKw = input.maxDemandKw === undefined ? null : parseCenti(input.maxDemandKw);
    call.backend.write(call.actor, (unit) => enterMeterExtras(unit, { period: input.period, customerId: input.customerId, kvarh, maxDemandKw }));
    return { done: true as const };
  },
  'billing.summary': (input, { backend }) => billingSummary(backend.store.read, input.period),
  'billing.export': (input, { backend, locale }) => {
    const db = backend.store.read;
    if (input.bookId === undefined) return exportPeriod(db, input.period, locale);
    const bookNo = db.value<string>(sql`SELECT book_no FROM books WHERE id = ${input.bookId}`);
    if (!bookNo) throw refuse('billing.unknownBook', { book: input.bookId }, 'not_found');
    return exportPeriod(db, input.period, locale, { id: input.bookId, bookNo });
  },
  'billing.customerAccount': (input, { backend }) => {
    requireCustomer(backend.store.read, input.customerId);
    const db = backend.store.read;
    return { balanceFen: customerBalance(db, input.customerId), bills: customerBills(db, input.customerId), ledger: ledgerOf(db, input.customerId) };
  },

  'bills.list': (input, { backend }) => listBills(backend.store.read, input),
  'bills.get': (input, { backend }) => getBill(backend.store.read, input.billNo),
  'bills.review': (input, call) => {
    call.backend.write(call.actor, (unit) => reviewBill(unit, input.billId, input.note));
    return { bill: billRowById(call.backend.store.read, input.billId) };
  },
  'bills.void': (input, call) => {
    call.backend.write(call.actor, (unit) => voidBill(unit, input.billId, input.reason));
    return { bill: billRowById(call.backend.store.read, input.billId) };
  },
  'bills.notices': (input, { backend, locale }) => {
    const db = backend.store.read;
    if (!input.billNos && !input.period) throw refuse('billing.noticesScope');
    requireBook(db, input.bookId);
    const notices = billNotices(db, input);
    if (input.billNos) {
      const found = new Set(notices.map((n) => n.billNo));
      const missing = input.billNos.filter((no) => !found.has(no));
      if (missing.length) throw refuse('billing.noticesNotIssued', { billNos: missing.join(', ') }, 'not_found');
    }
    const station = backend.requireStation();
    const policy = billingPolicy(db, shanghaiDate(backend.now()));
    return {
      station: { code: station.code, name: station.name },
      paymentChannels: policy.paymentChannels.length ? policy.paymentChannels : [translate(locale, 'notice.defaultChannels')],
      notices,
    };
  },

  'corrections.preview': (input, { backend }) => previewCorrection(backend.store.read, input.billId),
  'corrections.request': (input, call) => {
    const id = call.backend.write(call.actor, (unit) => requestCorrection(unit, input.billId, input.reason));
    return { correction: getCorrection(call.backend.store.read, id) };
  },
  'corrections.list': (input, { backend }) => ({ rows: listCorrections(backend.store.read, { status: input.status }) }),
  'corrections.approve': (input, call) => {
    call.backend.write(call.actor, (unit) => approveCorrection(unit, input.correctionId, input.note));
    return { correction: getCorrection(call.backend.store.read, input.correctionId) };
  },
  'corrections.reject': (input, call) => {
    call.backend.write(call.actor, (unit) => rejectCorrection(unit, input.correctionId, input.note));
    return { correction: getCorrection(call.backend.store.read, input.correctionId) };
  },
} satisfies HandlerGroup;
