import { sql } from '../db/sql';
import type { Invariant } from '../invariants';

// What must hold in the customer files, checked by `griddesk check`.
export const customerInvariants: Invariant[] = [
  {
    name: 'closed accounts have no installed meter',
    check: ({ store }) =>
      store.read
        .column<string>(sql`
          SELECT DISTINCT c.account_no FROM customers c JOIN metering_points p ON p.customer_id = c.id
          JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL WHERE c.status = 'closed'`)
        .map((no) => `account ${no} is closed but still has an installed meter`),
  },
  {
    name: 'customers are searchable',
    check: ({ store }) => {
      const missing = store.read.column<string>(sql`
        SELECT c.account_no FROM customers c
        WHERE NOT EXISTS (SELECT 1 FROM customer_search_keys k WHERE k.key = 'n' || substr(lower(replace(c.name, ' ', '')), 1, 2) AND k.customer_id = c.id)
           OR NOT EXISTS (SELECT 1 FROM customer_places p WHERE p.township = c.township AND p.village = c.village)
        LIMIT 20`);
      return missing.length ? [`${missing.length === 20 ? '20 or more' : missing.length} customers were filed outside the customers module and cannot all be found by name, phone or village: ${missing.join(', ')}`] : [];
    },
  },
  {
    name: 'replaced meters name their successor on the same point',
    check: ({ store }) =>
      store.read
        .column<string>(sql`
          SELECT o.meter_no FROM meters o LEFT JOIN meters n ON n.id = o.replaced_by
          WHERE o.replaced_by IS NOT NULL AND (n.id IS NULL OR n.point_id <> o.point_id OR o.removed_date IS NULL OR n.install_date <> o.removed_date)`)
        .map((no) => `meter ${no}: its replacement is missing, on another point, or not installed the day it came off`),
  },
];
