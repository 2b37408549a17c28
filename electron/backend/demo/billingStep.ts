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
import { Pace, sliceWrite, type SlicePace } from '../jobs/pace';

/**
 * The demo's slices: it writes its own file, which nobody else opens until the rename, so no
 * other process waits for a gap; a turn of the event loop between slices keeps the building
 * process answering, and the slices need not wait for the disk (the file is synced before the rename).
 */
const DEMO_PACE: SlicePace = { targetMs: 80, gapMs: 0, checkpoint: false, lazySync: true };
import type { DemoStep } from './steps';

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

    // Tariff options, chosen by the meter the customer has (a time-of-use tariff needs TOU registers).
    const choices = db.all<{ id: string; customer_class: string; tou: number }>(sql`
      SELECT c.id, c.customer_class,
             EXISTS (SELECT 1 FROM metering_points p JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL
                     WHERE p.customer_id = c.id AND m.tou = 1) AS tou
      FROM customers c WHERE c.status <> 'closed' AND c.customer_class IN ('residential', 'commercial')`);
    // Slices sized by pace (jobs/pace.ts); the random draws go in the same order whatever the sizes.
    const pace = new Pace(500, 80, 100, 20_000);
    for (let from = 0; from < choices.length; ) {
      const slice = choices.slice(from, from + pace.size);
      pace.run(slice.length, () =>
        backend.write(actor, (unit) => {
          for (const c of slice) {
            const code =
              c.customer_class === 'residential' ? (c.tou ? 'RES-TOU' : random.chance(0.1) ? 'RES-ANNUAL' : null) : c.tou ? null : 'COM-FLAT';
            if (!code) continue;
            updateCustomer(unit, c.id, { ...fieldsOf(customerRow(unit, c.id)), tariffCode: code });
          }
        }),
      );
      from += slice.length;
      await ctx.progress(0, 1);
    }

    const periods = db.column<string>(sql`SELECT period FROM reading_periods ORDER BY period`);
    for (const [i, period] of periods.entries()) {
      // Factories' reactive energy from their consumption, at a power factor between about 0.85 and 0.97.
      const factories = db.all<{ customer_id: string; kwh: number }>(sql`
        SELECT r.customer_id, sum(r.consumption) AS kwh FROM billable_readings r JOIN customers c ON c.id = r.customer_id
        WHERE r.period = ${period} AND c.customer_class = 'large_industry' GROUP BY r.customer_id`);
      backend.write(actor, (unit) => {
        for (const f of factories) {
          const kvarh = Math.round(f.kwh * (0.25 + random.next() * 0.37));
          enterMeterExtras(unit, { period, customerId: f.customer_id, kvarh, maxDemandKw: null }, { audit: false });
        }
      });
      // Months whose bills would have gone out by now (the 20th, 10:00); the current one is left
      // for whoever tries the demo to run and issue.
      const issuedAt = shanghaiMidnight(addDays(`${period}-01`, 19)) + 10 * 3600_000;
      if (issuedAt < backend.now()) {
        await runBilling(backend, actor, { period }, undefined, { pace: DEMO_PACE });
        // Reviewed and issued a book per transaction (issue 18: no write holds the building
        // process for long), then whatever has no book; the month ends the same as issued at once.
        const books = db.column<string>(sql`SELECT DISTINCT book_id FROM bills_in_force WHERE period = ${period} AND book_id IS NOT NULL ORDER BY book_id`);
        for (const bookId of [...books, null]) {
          sliceWrite(backend.store, DEMO_PACE, () => backend.write(actor, (unit) => {
            for (const id of unit.column<string>(sql`
                SELECT b.id FROM bills_in_force b WHERE b.period = ${period} ${bookId ? sql`AND b.book_id = ${bookId}` : sql``}
                  AND EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id)
                  AND NOT EXISTS (SELECT 1 FROM bill_reviews r WHERE r.bill_id = b.id)
                  AND NOT EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = b.id)`)) {
              reviewBill(unit, id, '演示：已核实');
            }
            issueDrafts(unit, bookId ? { period, bookId } : { period }, issuedAt);
          }));
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      await ctx.progress(i + 1, periods.length);
    }
  },
};
