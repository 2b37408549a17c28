import { sql } from '../db/sql';
import type { Invariant } from '../invariants';

// What must hold for appraisals: versions numbered 1, 2, 3 … per person and month; a signature
// only on a version that was the newest when signed (a later version exists only as a revision of
// a signed one, or a recomputation of an unsigned one); the signed total as the snapshot says.
export const appraisalInvariants: Invariant[] = [
  {
    name: 'appraisal versions',
    check: ({ store }) =>
      store.read
        .all<{ period: string; staff_no: string; n: number; top: number }>(sql`
          SELECT v.period, s.staff_no, count(*) AS n, max(v.version_no) AS top FROM appraisal_versions v JOIN staff s ON s.id = v.staff_id
          GROUP BY v.period, v.staff_id HAVING count(*) <> max(v.version_no)`)
        .map((r) => `appraisal ${r.period} of ${r.staff_no}: ${r.n} versions numbered up to ${r.top}`),
  },
  {
    name: 'appraisal signatures',
    check: ({ store }) => [
      ...store.read
        .all<{ period: string; staff_no: string; version_no: number }>(sql`
          SELECT v.period, s.staff_no, v.version_no FROM appraisal_versions v JOIN staff s ON s.id = v.staff_id
          WHERE v.kind = 'revision' AND NOT EXISTS (SELECT 1 FROM appraisal_versions p JOIN appraisal_signatures g ON g.version_id = p.id
                                                    WHERE p.period = v.period AND p.staff_id = v.staff_id AND p.version_no = v.version_no - 1)`)
        .map((r) => `appraisal ${r.period} of ${r.staff_no}: version ${r.version_no} revises a version that was never signed`),
      ...store.read
        .column<string>(sql`SELECT version_id FROM appraisal_signatures WHERE json_extract(snapshot, '$.totalCenti') IS NOT total_centi`)
        .map((id) => `appraisal signature ${id}: the signed total differs from the sheet signed`),
    ],
  },
];
