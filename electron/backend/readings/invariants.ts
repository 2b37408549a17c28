import { sql } from '../db/sql';
import type { Invariant } from '../invariants';

// What must hold for meter reading (griddesk check).
export const readingsInvariants: Invariant[] = [
  {
    name: 'every meter in a reading book',
    check: ({ store }) => {
      const n = store.read.value<number>(sql`
        SELECT count(*) FROM metering_points pt
        WHERE pt.active = 1
          AND EXISTS (SELECT 1 FROM meters m WHERE m.point_id = pt.id AND m.removed_date IS NULL)
          AND NOT EXISTS (SELECT 1 FROM book_points bp JOIN books b ON b.id = bp.book_id AND b.active = 1 WHERE bp.point_id = pt.id)`) ?? 0;
      return n === 0 ? [] : [`${n} active meters are in no reading book (books screen: "meters in no book")`];
    },
  },
  {
    name: 'one reading in force per meter and period',
    check: ({ store }) =>
      store.read
        .all<{ period: string; point_id: string; n: number }>(sql`
          SELECT r.period, r.point_id, count(*) AS n FROM readings r
          WHERE NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)
          GROUP BY r.period, r.point_id HAVING count(*) > 1 LIMIT 20`)
        .map((r) => `period ${r.period}, metering point ${r.point_id}: ${r.n} readings in force`),
  },
  {
    name: 'closed reading periods complete',
    check: ({ store }) =>
      store.read
        .all<{ period: string; n: number }>(sql`
          SELECT d.period, count(*) AS n FROM reading_due d JOIN reading_periods p ON p.period = d.period AND p.status = 'closed'
          WHERE NOT EXISTS (SELECT 1 FROM readings r WHERE r.period = d.period AND r.point_id = d.point_id)
          GROUP BY d.period`)
        .map((r) => `closed period ${r.period} has ${r.n} meters without a reading`),
  },
];
