import { appraisalInvariants } from './appraisal/invariants';
import { billingInvariants } from './billing/invariants';
import { collectionInvariants } from './collection/invariants';
import type { Backend } from './context';
import { customerInvariants } from './customers/invariants';
import { sql } from './db/sql';
import { readingsInvariants } from './readings/invariants';

// What must always hold in a station database, checked by `griddesk check`. Each desk adds its
// own checks to INVARIANTS; a check returns problems in words an administrator can act on.

export interface Invariant {
  name: string;
  check(backend: Backend): string[];
}

const platformInvariants: Invariant[] = [
  {
    name: 'station',
    check: ({ store }) => {
      const n = store.read.value<number>(sql`SELECT count(*) FROM station`) ?? 0;
      return n === 1 ? [] : [n === 0 ? 'the station is not set up (run griddesk init)' : `${n} station rows, expected 1`];
    },
  },
  {
    name: 'active administrator',
    check: ({ store }) => {
      const n = store.read.value<number>(sql`
        SELECT count(*) FROM staff s JOIN staff_roles r ON r.staff_id = s.id AND r.role = 'admin' WHERE s.active = 1`) ?? 0;
      return n > 0 ? [] : ['no active administrator: nobody can manage staff'];
    },
  },
  {
    name: 'staff roles',
    check: ({ store }) =>
      store.read
        .column<string>(sql`SELECT staff_no FROM staff s WHERE NOT EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = s.id)`)
        .map((no) => `staff ${no} has no role`),
  },
  {
    name: 'outbox order',
    check: ({ store }) => {
      const acked = store.read.value<number>(sql`SELECT acked_seq FROM sync_state`) ?? 0;
      const min = store.read.value<number | null>(sql`SELECT min(seq) FROM outbox`);
      return min !== null && min !== undefined && min <= acked ? [`outbox still holds acknowledged rows (seq ${min} ≤ ${acked}); they may be pruned`] : [];
    },
  },
];

export const INVARIANTS: Invariant[] = [...platformInvariants, ...customerInvariants, ...readingsInvariants, ...billingInvariants, ...collectionInvariants, ...appraisalInvariants];
