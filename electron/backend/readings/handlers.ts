import { hasPermission } from '../../../shared/permissions';
import { scheduledReadingDate } from '../../../shared/readings';
import { shanghaiDate } from '../../../shared/time';
import { sql } from '../db/sql';
import { AppError, refuse } from '../errors';
import type { Call, HandlerGroup } from '../handler';
import { mayEnterInBook } from './access';
import { bookPoints, createBook, getBook, listBooks, movePoints, reorderBook, unassignedPoints, updateBook } from './books';
import { enterReading } from './entry';
import { dueSheet } from './grid';
import { exportBook, findPreview, previewImport } from './handheld';
import { commitImportJob } from './importJob';
import { periodOverview } from './overview';
import { closePeriod, getPeriod, listPeriods, startOpenPeriodJob } from './periods';
import { policyInForce } from './policy';
import { reviewQueue, reviewReading } from './review';
import { READING_COLUMNS, READING_JOINS, toReadingView, type ReadingDbColumns } from './rows';

const today = (call: Call) => shanghaiDate(call.backend.now());

export const readingsHandlers = {
  'books.list': (input, call) => ({
    rows: listBooks(call.backend.store.read, {
      includeInactive: input.includeInactive,
      ...(input.mine && call.staff ? { readerId: call.staff.id } : {}),
    }),
  }),
  'books.get': (input, { backend }) => ({ book: getBook(backend.store.read, input.bookId), points: bookPoints(backend.store.read, input.bookId) }),
  'books.create': (input, call) => ({ book: call.backend.write(call.actor, (unit) => createBook(unit, input)) }),
  'books.update': (input, call) => ({ book: call.backend.write(call.actor, (unit) => updateBook(unit, input.bookId, input)) }),
  'books.movePoints': (input, call) => ({ book: call.backend.write(call.actor, (unit) => movePoints(unit, input.pointIds, input.toBookId)) }),
  'books.reorder': (input, call) => ({ book: call.backend.write(call.actor, (unit) => reorderBook(unit, input.bookId, input.pointIds)) }),
  'books.unassigned': (input, { backend }) => unassignedPoints(backend.store.read, input.limit),

  'periods.list': (_input, { backend }) => ({ rows: listPeriods(backend.store.read) }),
  'periods.open': (input, call) => ({ jobId: startOpenPeriodJob(call.backend, call.actor, input.period).id }),
  'periods.close': (input, call) => ({ period: call.backend.write(call.actor, (unit) => closePeriod(unit, input.period, call.locale)) }),

  'readings.book': (input, call) => {
    const db = call.backend.store.read;
    const book = getBook(db, input.bookId);
    const period = getPeriod(db, input.period);
    const day = today(call);
    const policy = policyInForce(db, day);
    const reviewer = call.staff === null || hasPermission(call.staff.roles, 'readings.review');
    return {
      book,
      period,
      rows: dueSheet(db, input.period, input.bookId),
      canEnter: mayEnterInBook({ staff: call.staff }, book.readerId) && (period.status === 'open' || reviewer),
      scheduledDate: scheduledReadingDate(input.period, book.readingDay),
      window: { daysBefore: policy.windowDaysBefore, daysAfter: policy.windowDaysAfter },
      today: day,
    };
  },
  'readings.save': (input, call) =>
    call.backend.write(call.actor, (unit) => enterReading(unit, { staff: call.staff }, { ...input, source: 'keyboard' }, shanghaiDate(unit.at))),
  'readings.review': (input, call) => {
    const staff = call.staff;
    if (!staff) throw refuse('reading.reviewNeedsStaff');
    return call.backend.write(call.actor, (unit) => reviewReading(unit, staff, input, shanghaiDate(unit.at)));
  },
  'readings.reviewQueue': (input, { backend }) => ({ rows: reviewQueue(backend.store.read, input.period, input.bookId, input.pendingOnly) }),
  'readings.list': (input, { backend }) => {
    getPeriod(backend.store.read, input.period);
    return {
      rows: dueSheet(backend.store.read, input.period, input.bookId).map((row) => ({
        bookNo: row.bookNo,
        seq: row.seq,
        accountNo: row.accountNo,
        customerName: row.customerName,
        meterNo: row.meterNo,
        previous: row.previous,
        current: row.reading?.value ?? null,
        consumption: row.reading?.consumption ?? null,
        kind: row.reading?.kind ?? null,
        status: row.status,
        flags: row.reading?.flags.map((f) => f.code) ?? [],
        readingId: row.reading?.id ?? null,
        readingDate: row.reading?.readingDate ?? null,
      })),
    };
  },
  'readings.history': (input, { backend }) => {
    if (!input.pointId && !input.customerId) throw new AppError('invalid_input', 'error.invalid_input', { details: 'pointId / customerId' });
    const rows = backend.store.read.all<ReadingDbColumns & { point_label: string; book_no: string | null }>(sql`
      SELECT ${READING_COLUMNS}, pt.label AS point_label, b.book_no
      FROM readings r
      JOIN metering_points pt ON pt.id = r.point_id
      LEFT JOIN book_points bp ON bp.point_id = r.point_id
      LEFT JOIN books b ON b.id = bp.book_id
      ${READING_JOINS}
      WHERE ${input.pointId ? sql`r.point_id = ${input.pointId}` : sql`pt.customer_id = ${input.customerId ?? ''}`}
      ORDER BY r.period DESC, r.entered_at DESC
      LIMIT ${input.limit}`);
    return {
      rows: rows.flatMap((row) => {
        const reading = toReadingView(row);
        return reading ? [{ ...reading, pointLabel: row.point_label, bookNo: row.book_no }] : [];
      }),
    };
  },
  'readings.overview': (input, call) => periodOverview(call.backend.store.read, input.period, today(call)),
  'readings.export': async (input, call) => {
    const file = await exportBook(call.backend.store.read, input.period, input.bookId, call.locale);
    return { fileName: file.fileName, base64: file.bytes.toString('base64'), rows: file.rows };
  },
  'readings.importPreview': (input, call) => {
    const bytes = Buffer.from(input.base64, 'base64');
    const job = call.backend.jobs.start('readings.importPreview', call.staff?.id ?? null, (progress) =>
      previewImport(call.backend, call.staff, { period: input.period, fileName: input.fileName, bytes }, call.locale, progress),
    call.locale);
    return { jobId: job.id };
  },
  'readings.importCommit': (input, call) => {
    findPreview(call.backend, call.staff, input.previewId);
    const job = call.backend.jobs.start('readings.importCommit', call.staff?.id ?? null, (progress) =>
      commitImportJob(call.backend, call.staff, call.actor, input.previewId, input.confirmRollovers, progress),
    );
    return { jobId: job.id };
  },
} satisfies HandlerGroup;
