// Who may do what (DESIGN.md "Security"). The back end enforces this table in `dispatch`; the
// renderer only uses it to hide what a role may not do.

export const ROLES = ['clerk', 'meter_reader', 'billing_clerk', 'station_head', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every permission a channel may require. Grouped by desk; each later desk adds its own block
 * here and to ROLE_PERMISSIONS below.
 */
export const PERMISSIONS = [
  // platform
  'staff.manage', // create staff, assign roles, reset passwords, deactivate
  'audit.read', // the audit log
  'backup.run', // backups and restores
  'station.read', // station name, code, settings
  // customers (客户档案)
  'customers.read', // find and read customer files
  'customers.write', // open, edit, suspend and close files; install and replace meters; import
  'customers.idcard', // see the full ID-card number (others see it masked)
  // readings (抄表)
  'readings.read', // books, periods, readings and the period overview
  'readings.enter', // enter and import readings — in the books assigned to you unless you also manage books
  'readings.review', // review decisions (复核) and corrections on any book
  'readings.manage', // books (create, assign readers, move and reorder meters), open and close periods
  // billing (电价与核算)
  'tariffs.read', // the tariff catalogue and billing policy
  'tariffs.import', // load a head-office tariff file (before sync delivers them)
  'billing.read', // bills, their lines, notices, period totals
  'billing.run', // run the month, review exceptions, void drafts, issue, ask for a correction
  'billing.approve', // approve or reject a correction (冲正) — the station head's own login
  // collection (电费收缴)
  'collection.read', // balances, payments, receipts, reversal queue, closings
  'collection.pay', // take payments, ask for reversals, close one's own day (日结)
  'collection.approve', // approve reversals (冲正), penalty waivers and closing differences
  'arrears.read', // arrears list and export, disconnection-notice eligibility
  'arrears.notify', // issue arrears reminders (催费通知单) and disconnection notices
  // appraisal (绩效考核)
  'appraisal.read', // one's own appraisal sheets: see, acknowledge or dispute (the back end refuses anyone else's)
  'appraisal.manage', // every sheet of the station: compute the month, bonus/deduction points, sign, revise, summary, export
  'appraisal.sheets', // load head-office score sheets (考核方案)
  // sync with head office (数据上报与下发)
  'sync.read', // the 数据上报 screen: what waits, last export and ack, reference version
  'sync.run', // export and push batches, apply acks and reference packs
  // customer service (客户服务)
  'service.read', // work orders, due and overdue lists, visits, segment lists, reports
  'service.log', // log orders (counter, phone), record return visits, set manual tags
  'service.answer', // add steps to the orders assigned to oneself (contact, arrive, suspend, close…)
  'service.manage', // the head: assign, re-open, take 95598 dispatches, calendar, segments, approve disconnections
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // 营业员 counter clerk
  clerk: [
    'station.read',
    'customers.read', 'customers.write', 'customers.idcard',
    'readings.read',
    'tariffs.read', 'billing.read', // billing: reads bills
    'collection.read', 'collection.pay', 'arrears.read', 'arrears.notify', // collection: the counter
    'appraisal.read', // appraisal: their own sheets
    'service.read', 'service.log', 'service.answer', // customer service: logs orders and visits at the counter
  ],
  // 抄表员 meter reader
  meter_reader: [
    'station.read',
    'customers.read',
    'readings.read', 'readings.enter',
    'tariffs.read', 'billing.read', // billing: reads bills
    'appraisal.read', // appraisal: their own sheets
    'service.read', 'service.answer', // customer service: answers the orders assigned to them
  ],
  // 核算员 billing clerk
  billing_clerk: [
    'station.read',
    'customers.read',
    'readings.read', 'readings.review',
    'tariffs.read', 'billing.read', 'billing.run', // billing: runs, reviews, issues
    'collection.read', 'arrears.read', // collection: sees payments and arrears
    'appraisal.read', // appraisal: their own sheets
    'service.read', 'service.answer', // customer service: answers the orders assigned to them
  ],
  // 所长 station head: sees everything that happens at the station, approves
  station_head: [
    'station.read',
    'audit.read',
    'customers.read', 'customers.write', 'customers.idcard',
    'readings.read', 'readings.enter', 'readings.review', 'readings.manage',
    'tariffs.read', 'billing.read', 'billing.approve', // billing: approves corrections
    'collection.read', 'collection.approve', 'arrears.read', 'arrears.notify', // collection: approves reversals, waivers, differences
    'appraisal.read', 'appraisal.manage', // appraisal: computes, adjusts, signs
    'sync.read', 'sync.run', // sync: exports and applies
    'service.read', 'service.log', 'service.answer', 'service.manage', // customer service: assigns, is alerted, re-opens
  ],
  // 系统管理员 administrator: the station's IT person, not a money role
  admin: [
    'station.read',
    'staff.manage',
    'audit.read',
    'backup.run',
    'tariffs.read', 'tariffs.import', // billing: loads head-office tariff files
    'appraisal.sheets', // appraisal: loads head-office score sheets
    'sync.read', 'sync.run', // sync: exports and applies
  ],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
