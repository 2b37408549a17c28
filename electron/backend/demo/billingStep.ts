// The demo station's tariffs and bills (电价与核算): the demo tariff catalogue; residents split
// between monthly tiers, annual tiers and the time-of-use option, commercial customers between
// time-of-use and single price; then every reading period the reading step made is billed, its
// exceptions reviewed and its bills issued, as the billing clerk would have done each month.
import { addDays, shanghaiMidnight } from '../../../shared/time';
import { enterMeterExtras } from '../billing/extras';
import { issueDrafts, reviewBill } from '../billing/issue';
import { runBilling } from '../billing/run';
import demoTariffs from '../billing/samples/demo-tariffs.json';
import { importReferenceFile } from '../billing/tariffs';
import { fieldsOf, updateCustomer } from '../customers/customers';
import { customerRow } from '../customers/rows';
import { sql } from '../db/sql';
import { breather, DEMO_PACE, fixedSliceSize, writeInSlices, writeUntilDone } from './pace';
import type { DemoStep } from './steps';

/** The first transaction's drafts issued (issueDrafts' limit); the next are sized by pace. */
const FIRST_ISSUE = 100;

/** Customers read at a time for their tariff options (~5 ms). */
const CHOICES_PIECE = 1000;

/**
 * The demo tariff catalogue, as the text of a reference file. Imported, not read from disk by
 * path, so it travels inside the desktop build's bundle (which has no source tree beside it).
 */
export const DEMO_TARIFFS_TEXT = JSON.stringify(demoTariffs, null, 2);

export const billingStep: DemoStep = {
  name: 'billing',
  weight: 30,
  async run(ctx) {
    const { backend, random } = ctx;
    const db = backend.store.read;
    const billingClerk = ctx.staff.find((s) => s.role === 'billing_clerk');
    const actor = billingClerk ? { staffId: billingClerk.staffId, label: `${billingClerk.staffNo} ${billingClerk.name}` } : ctx.actor;
    backend.write(ctx.actor, (unit) => importReferenceFile(unit, DEMO_TARIFFS_TEXT, 'demo-tariffs.json'));

    // Tariff options, chosen by the meter the customer has (a time-of-use tariff needs TOU
    // registers). Read a class and a piece of customers at a time, in the order the one read of
    // them all took (by the class index: commercial, then residential, each by rowid), with a turn
    // of the loop once the demo's slice time is spent (issue 18: ~70 ms at 20,000 customers in one piece).
    const choices: { id: string; customer_class: string; tou: number }[] = [];
    const breathe = breather();
    const pieceRows = fixedSliceSize() ?? CHOICES_PIECE;
    for (const customerClass of ['commercial', 'residential']) {
      for (let after = 0; ; ) {
        const piece = db.all<{ r: number; id: string; customer_class: string; tou: number }>(sql`
          SELECT c.rowid AS r, c.id, c.customer_class,
                 EXISTS (SELECT 1 FROM metering_points p JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL
                         WHERE p.customer_id = c.id AND m.tou = 1) AS tou
          FROM customers c WHERE c.customer_class = ${customerClass} AND c.rowid > ${after} AND c.status <> 'closed'
          ORDER BY c.rowid LIMIT ${pieceRows}`);
        for (const { id, customer_class, tou } of piece) choices.push({ id, customer_class, tou });
        await breathe();
        if (piece.length < pieceRows) break;
        after = piece[piece.length - 1]!.r;
      }
    }
    // Slices of ~40 ms (demo/pace.ts); the random draws go in the same order whatever the sizes.
    await writeInSlices(
      backend,
      actor,
      choices,
      (unit, c) => {
        const code = c.customer_class === 'residential' ? (c.tou ? 'RES-TOU' : random.chance(0.1) ? 'RES-ANNUAL' : null) : c.tou ? null : 'COM-FLAT';
        if (code) updateCustomer(unit, c.id, { ...fieldsOf(customerRow(unit, c.id)), tariffCode: code });
      },
      { afterSlice: () => ctx.progress(0, 1) },
    );

    const periods = db.column<string>(sql`SELECT period FROM reading_periods ORDER BY period`);
    const books = db.column<string>(sql`SELECT id FROM books ORDER BY id`);
    for (const [i, period] of periods.entries()) {
      // Factories' reactive energy from their consumption, at a power factor between about 0.85 and 0.97.
      const factories = db.all<{ customer_id: string; kwh: number }>(sql`
        SELECT r.customer_id, sum(r.consumption) AS kwh FROM billable_readings r JOIN customers c ON c.id = r.customer_id
        WHERE r.period = ${period} AND c.customer_class = 'large_industry' GROUP BY r.customer_id`);
      await writeInSlices(backend, actor, factories, (unit, f) => {
        const kvarh = Math.round(f.kwh * (0.25 + random.next() * 0.37));
        enterMeterExtras(unit, { period, customerId: f.customer_id, kvarh, maxDemandKw: null }, { audit: false });
      });
      // Months whose bills would have gone out by now (the 20th, 10:00); the current one is left
      // for whoever tries the demo to run and issue.
      const issuedAt = shanghaiMidnight(addDays(`${period}-01`, 19)) + 10 * 3600_000;
      if (issuedAt < backend.now()) {
        // The run's slices at the demo's pace (the tests' fixed size: as many bills a slice).
        const fixed = fixedSliceSize();
        await runBilling(backend, actor, { period }, undefined, { pace: DEMO_PACE, ...(fixed !== undefined ? { sliceSize: fixed } : {}) });
        // The flagged drafts reviewed a few per transaction, then the month issued a limit of
        // drafts per transaction until none is left, book by book in the books' order (the order
        // one issue of the month takes), a transaction going on to the next book when one is done.
        // A book at a time, not the month: issueDrafts' limited choice walks the month's bills in
        // order past those already issued, so each transaction cost more as the month went on
        // (~60 ms of walking for the last at 20,000 customers, and the pace shrank the limit to match).
        const flagged = db.column<string>(sql`
          SELECT b.id FROM bills_in_force b WHERE b.period = ${period}
            AND EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id)
            AND NOT EXISTS (SELECT 1 FROM bill_reviews r WHERE r.bill_id = b.id)
            AND NOT EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = b.id)
          ORDER BY b.book_id, b.book_seq, b.bill_no`);
        await writeInSlices(backend, actor, flagged, (unit, id) => reviewBill(unit, id, '演示：已核实'));
        let book = 0;
        await writeUntilDone(backend, FIRST_ISSUE, (limit) =>
          backend.write(actor, (unit) => {
            let taken = 0;
            while (book < books.length && taken < limit) {
              const asked = limit - taken;
              const issued = issueDrafts(unit, { period, bookId: books[book] }, issuedAt, asked).issued;
              taken += issued;
              if (issued < asked) book += 1; // the book's drafts are all issued
            }
            return taken;
          }),
        );
        // Bills without a book (none in the demo as built): the month's issue catches them.
        const bookless = db.value<number>(sql`
          SELECT EXISTS (SELECT 1 FROM bills_in_force b WHERE b.period = ${period} AND b.book_id IS NULL
                           AND NOT EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = b.id))`);
        if (bookless) await writeUntilDone(backend, FIRST_ISSUE, (limit) => backend.write(actor, (unit) => issueDrafts(unit, { period }, issuedAt, limit).issued));
      }
      await ctx.progress(i + 1, periods.length);
    }
  },
};
